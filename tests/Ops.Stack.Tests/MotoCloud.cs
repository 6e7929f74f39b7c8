using Amazon.Runtime;
using Ops.Aws;
using Ops.Stack.Core;
using Ops.Stack.Model;

namespace Ops.Stack.Tests;

/// <summary>A real moto_server (an AWS emulator written by others) on a free loopback port, for the fleet scenarios moto implements.</summary>
public sealed class MotoCloud : IAsyncLifetime
{
    MotoProcess? _moto;

    public Uri Url => _moto?.Endpoint ?? throw new InvalidOperationException("moto_server has not started");

    public AwsConnection Connection => new() { Credentials = new BasicAWSCredentials("test", "test"), Region = "us-east-1", EndpointUrl = Url, MaxAttempts = 2 };

    /// <summary>A context treating moto as AWS (EC2 launch type, image by digest), with no wait for a scheduler moto does not run.</summary>
    public StageContext Context(StageStack stack, CapturedLog log) => new()
    {
        Connection = Connection,
        Stack = stack,
        Log = log,
        RepositoryRoot = FleetCloud.RepositoryRoot,
        WaitForService = false,
        PollInterval = TimeSpan.FromMilliseconds(100),
        WaitTimeout = TimeSpan.FromSeconds(30),
    };

    public async Task InitializeAsync() => _moto = await MotoProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_moto != null) await _moto.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class MotoCloudCollection : ICollectionFixture<MotoCloud>
{
    public const string Name = "fleet moto";
}
