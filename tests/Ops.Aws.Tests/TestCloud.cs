namespace Ops.Aws.Tests;

/// <summary>An AWS-compatible endpoint the scenario tests run against: moto (written by others) or our LocalCloud.</summary>
public interface ITestCloud
{
    AwsConnection Connection { get; }
    Uri Endpoint { get; }

    /// <summary>moto's known deviations (moto-gaps.txt) are asserted as such, not papered over.</summary>
    bool IsMoto { get; }

    /// <summary>moto walks some models' status a step per read; pin them. A no-op elsewhere.</summary>
    Task PinStateProgression(string model);

    /// <summary>Two subnets of the default VPC, for subnet groups.</summary>
    async Task<List<string>> SubnetIds() =>
        (await new Ec2.Ec2Client(Connection).DescribeSubnetsAsync()).Subnets!.Select(s => s.SubnetId!).Take(2).ToList();
}

/// <summary>LocalCloud in-process with instant lifecycles, for the same scenarios as moto.</summary>
public sealed class LocalCloudTestServer : ITestCloud, IAsyncLifetime
{
    LocalCloud.LocalCloudServer _server = null!;
    public Uri Endpoint => _server.Url;
    public bool IsMoto => false;

    public AwsConnection Connection => TestClouds.Connection(Endpoint, 2);

    public Task PinStateProgression(string model) => Task.CompletedTask;

    public async Task InitializeAsync() =>
        _server = await LocalCloud.LocalCloudServer.StartAsync(TestClouds.Options());

    public async Task DisposeAsync() => await _server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LocalCloudCollection : ICollectionFixture<LocalCloudTestServer>
{
    public const string Name = "local cloud";
}
