using Ops.Aws.Ec2;

namespace Ops.LocalCloud.Tests;

/// <summary>EC2 instance state changes that AWS refuses.</summary>
[Collection(LocalCloudCollection.Name)]
public class Ec2InstanceStateTests(LocalCloudFixture cloud)
{
    readonly Ec2Client _ec2 = new(cloud.Connection);

    [Fact]
    public async Task A_terminated_instance_cannot_be_started_or_stopped_IncorrectInstanceState_400()
    {
        var id = (await _ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-0ecs0000000000001", MinCount = 1, MaxCount = 1 })).Instances!.Single().InstanceId!;
        await _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [id] });

        var start = await AwsAssert.ErrorCode("IncorrectInstanceState", () => _ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [id] }), 400);
        Assert.Contains(id, start.Message);
        await AwsAssert.ErrorCode("IncorrectInstanceState", () => _ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [id] }), 400);

        var state = (await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [id] })).Reservations!.Single().Instances!.Single().State!;
        Assert.Equal("terminated", state.Name);
        Assert.Equal(48, state.Code);
    }
}
