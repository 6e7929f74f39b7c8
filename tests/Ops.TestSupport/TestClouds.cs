using Amazon.Runtime;
using Ops.Aws;
using Ops.LocalCloud;

namespace Ops.TestSupport;

/// <summary>The local cloud a test starts and the connection it reaches it with, written once: the operator test keys, instant lifecycles.</summary>
public static class TestClouds
{
    /// <summary>Options of a local cloud for a test (add the rest with <c>with { … }</c>).</summary>
    public static LocalCloudOptions Options(string? stateDirectory = null) => new()
    {
        AccessKey = TestKeys.OperatorAccessKey,
        SecretKey = TestKeys.OperatorSecretKey,
        StateDirectory = stateDirectory,
        Delays = LifecycleDelays.Instant,
    };

    /// <summary>A connection to <paramref name="url"/> with the operator test keys in us-east-1.</summary>
    public static AwsConnection Connection(Uri url, int? maxAttempts = null, bool opsLocalCloud = false) => new()
    {
        Credentials = new BasicAWSCredentials(TestKeys.OperatorAccessKey, TestKeys.OperatorSecretKey),
        Region = "us-east-1",
        EndpointUrl = url,
        MaxAttempts = maxAttempts,
        IsOpsLocalCloud = opsLocalCloud,
    };
}
