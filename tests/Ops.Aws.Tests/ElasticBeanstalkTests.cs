using Ops.Aws.ElasticBeanstalk;
using Ops.Aws.Waiters;

namespace Ops.Aws.Tests;

/// <summary>Elastic Beanstalk (awsQuery). moto has no application versions, updates, events or termination: those are LocalCloud's to prove.</summary>
public abstract class ElasticBeanstalkTests(ITestCloud moto)
{
    readonly ElasticBeanstalkClient _eb = new(moto.Connection);

    [Fact]
    public async Task Applications_and_environments_round_trip()
    {
        var app = MotoServer.Unique("iotile-cloud");
        await _eb.CreateApplicationAsync(new CreateApplicationMessage { ApplicationName = app, Description = "web tier" });
        await AwsAssert.ErrorCode("InvalidParameterValue", () => _eb.CreateApplicationAsync(new CreateApplicationMessage { ApplicationName = app }));
        Assert.Single((await _eb.DescribeApplicationsAsync(new DescribeApplicationsMessage { ApplicationNames = [app] })).Applications!);

        var stacks = await _eb.ListAvailableSolutionStacksAsync();
        var stack = stacks.SolutionStacks!.First(s => s.Contains("Python"));
        var env = await _eb.CreateEnvironmentAsync(new CreateEnvironmentMessage
        {
            ApplicationName = app,
            EnvironmentName = "iotile-dev",
            SolutionStackName = stack,
            Tags = [new Tag { Key = "Stage", Value = "dev" }],
        });
        Assert.Equal("iotile-dev", env.EnvironmentName);
        var listed = await _eb.DescribeEnvironmentsAsync(new DescribeEnvironmentsMessage { ApplicationName = app });
        Assert.Equal("iotile-dev", Assert.Single(listed.Environments!).EnvironmentName);
        var ready = await _eb.WaitUntilEnvironmentExistsAsync(new DescribeEnvironmentsMessage { ApplicationName = app, EnvironmentNames = ["iotile-dev"] },
            MotoServer.FastWaits);
        Assert.Equal("Ready", ready.Environments![0].Status);

        await _eb.DeleteApplicationAsync(new DeleteApplicationMessage { ApplicationName = app, TerminateEnvByForce = true });
        Assert.Empty((await _eb.DescribeApplicationsAsync(new DescribeApplicationsMessage { ApplicationNames = [app] })).Applications!);
    }
}

[Collection(MotoCollection.Name)]
public sealed class ElasticBeanstalkTestsOnMoto(MotoServer cloud) : ElasticBeanstalkTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class ElasticBeanstalkTestsOnLocalCloud(LocalCloudTestServer cloud) : ElasticBeanstalkTests(cloud);
