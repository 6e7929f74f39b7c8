using System.Text.RegularExpressions;
using Ops.Aws;
using Ops.Aws.Sts;
using Ops.Docker;
using Ops.LocalCloud;
using Ops.Stack;
using Ops.Stack.Core;
using Ops.Stack.Images;
using Ops.Stack.Model;
using Ops.Targets;

namespace Ops.Build;

/// <summary>Ops: targets that create, deploy, roll out, tear down and recreate the IoT cloud's infrastructure.</summary>
sealed partial class Build : BuildBase
{
    public static Task<int> Main(string[] args) => Execute<Build>(args);

    [Parameter("Stage whose resources are addressed: dev, stage, prod, or any stage the stack file defines.")]
    public string Stage = "dev";

    [Parameter("Where resources live: local (embedded local cloud, no AWS account) or aws (real AWS).")]
    public CloudKind Cloud = CloudKind.Local;

    [Parameter("Use this AWS-compatible endpoint instead (a running local cloud, moto, LocalStack).")]
    public Uri? EndpointUrl;

    [Parameter("AWS region.")]
    public string Region = "us-east-1";

    [Parameter("Named profile from ~/.aws/config, used with --cloud aws.")]
    public string? AwsProfile;

    [Parameter("Give up on an AWS request that gets no answer after this long, like 30s (default: the SDK's 100s).")]
    public TimeSpan? AwsTimeout;

    [Parameter("Port of the local cloud served by ./build.sh local-cloud.")]
    public int Port = 4566;

    [Parameter("How fast local-cloud resources change state: realistic (seconds) or instant.")]
    public LocalCloudSpeed LocalCloudSpeed = LocalCloudSpeed.Realistic;

    [Parameter("Host names the local cloud answers besides 127.0.0.0/8, localhost and [::1] (every other Host gets 403: no DNS rebinding), like my-laptop.lan.")]
    public string[] LocalCloudHosts = [];

    [Parameter("Whether the local cloud enforces IAM for what runs inside it: on (tasks and web processes are refused what their roles do not allow) or off.")]
    public LocalCloudIam LocalCloudIam = LocalCloudIam.On;

    LocalCloudHost? _localCloud;

    /// <summary>The domain's view of this build's log.</summary>
    IStackLog StackLog => new BuildStackLog(Log);

    LocalCloudHost LocalCloudHost => _localCloud ??= new LocalCloudHost(
        Path.Combine(TemporaryDirectory, "local-cloud"),
        LocalCloudSpeed == LocalCloudSpeed.Instant ? LifecycleDelays.Instant : LifecycleDelays.Realistic,
        RegistryPort,
        LocalCloudHosts,
        LocalCloudIam == LocalCloudIam.On,
        Log);

    [Parameter("Print what would change and change nothing.")]
    public bool DryRun;

    /// <summary>Attempts per AWS call (the first and its retries) unless AWS_MAX_ATTEMPTS says otherwise.</summary>
    const int DefaultMaxAttempts = 10;

    readonly Lock _connectionGate = new();
    Task<AwsConnection>? _connection;

    /// <summary>
    /// The connection every AWS-touching target uses: --endpoint-url, --cloud aws, or the local cloud. One per run:
    /// targets may run in parallel, and the local cloud must start once.
    /// </summary>
    Task<AwsConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        lock (_connectionGate) return _connection ??= OpenConnectionAsync(cancellationToken);
    }

    async Task<AwsConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await new AwsConnectionFactory(LocalCloudHost,
                Environment).ConnectAsync(new AwsSettings(Cloud, EndpointUrl, Region, AwsProfile, AwsTimeout), cancellationToken);
            // A rollout polls for minutes: the SDK's 3 attempts per call would let a short burst of throttling or 5xx end it.
            // AWS_MAX_ATTEMPTS, when set, still decides.
            return Environment.ContainsKey("AWS_MAX_ATTEMPTS") ? connection : connection with { MaxAttempts = connection.MaxAttempts ?? DefaultMaxAttempts };
        }
        catch (InvalidOperationException e)
        {
            // An unknown profile or missing credentials: the user's input to fix, before anything is called.
            throw new UsageException(e.Message);
        }
    }

    /// <summary>
    /// The one place the domain's exceptions become exit codes: bad input in the stack or the parameters is a usage error
    /// (exit 2); a cloud, image or endpoint that cannot do what was asked is a failure (exit 1); each is one line.
    /// </summary>
    protected override Exception Explain(Exception exception) => exception switch
    {
        AwsConnectionException { IsConfiguration: true } e => new UsageException(e.Message),
        AwsConnectionException e => new BuildFailedException(e.Message, e),
        StackException e => new UsageException(e.Message),
        CloudStateException e => new BuildFailedException(e.Message, e),
        ImagePublishException e => new BuildFailedException(e.Message, e),
        DockerEngineUnavailableException e => new BuildFailedException(e.Message, e),
        _ => exception,
    };

    protected override async ValueTask OnBuildFinishedAsync()
    {
        await ReleaseRolloutAsync();
        if (_localCloud != null) await _localCloud.DisposeAsync();
    }

    Target LocalCloud => _ => _
        .Description("Serve the local cloud on 127.0.0.1:--port for other clients (aws CLI, boto3) until Ctrl+C")
        .Executes(async ct =>
        {
            var server = await LocalCloudHost.ServeAsync(Port, ct);
            Log.Info($"local cloud listening on {server.Url} (state in .nuke/temp/local-cloud, lifecycles {LocalCloudSpeed.ToString().ToLowerInvariant()})");
            foreach (var hint in LocalCloudHost.CredentialHints(server.Url, Region)) Log.Info(hint);
            Log.Info("press Ctrl+C to stop");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM is how a server is meant to end: a clean stop, not a cancelled build.
                Log.Info("stopped");
            }
            finally
            {
                Log.Info($"served {server.Requests.Entries.Count} request(s)");
                var report = server.Requests.Report();
                if (report.Length > 0) Log.Info(report.TrimEnd());
            }
        });

    Target Whoami => _ => _
        .Description("Print the account and identity the selected cloud's credentials resolve to")
        .Validates(CheckStack)
        .Executes(async ct =>
        {
            var connection = await ConnectAsync(ct);
            var me = await new StsClient(connection).GetCallerIdentityAsync(cancellationToken: ct);
            Log.Info($"account  {me.Account}");
            Log.Info($"arn      {me.Arn}");
            Log.Info($"via      {connection}");
        });

    Target Info => _ => _
        .Description("Print the resolved stage, stack file, cloud, region, endpoint and profile")
        .Validates(CheckStack)
        .Executes(() =>
        {
            Log.Info($"stage        {StageStack.Stage}");
            Log.Info($"stack        {LoadedStack.Source ?? "built-in (no ops.stack.yml)"}");
            Log.Info($"cloud        {DescribeCloud()}");
            Log.Info($"region       {Region}");
            Log.Info($"endpoint     {EndpointUrl?.ToString() ?? (Cloud == CloudKind.Aws ? "AWS's regional endpoints" : "the local cloud's, on 127.0.0.1")}");
            Log.Info($"aws-profile  {(Cloud == CloudKind.Aws ? AwsProfile ?? "(default credential chain)" : "(not used with --cloud local)")}");
        });

    string DescribeCloud() => Cloud switch
    {
        CloudKind.Aws => "aws (real AWS, standard credential chain)",
        _ => "local (nothing reaches AWS)",
    };

    protected override void Validate()
    {
        if (!RegionName().IsMatch(Region))
            throw new UsageException($"--region '{Region}' is not an AWS region name; use one like us-east-1 or eu-west-2.");
        if (EndpointUrl != null && EndpointUrl.Scheme is not ("http" or "https"))
            throw new UsageException($"--endpoint-url '{EndpointUrl}' must be an http:// or https:// URL, like http://127.0.0.1:4566.");
        if (RegistryPort is < 0 or > 65535)
            throw new UsageException($"--registry-port {RegistryPort} is not a TCP port; use 1 to 65535 (0 picks a free one), like 5100.");
        if (Port is < 1 or > 65535)
            throw new UsageException($"--port {Port} is not a TCP port; use 1 to 65535, like 4566.");
        if (AwsProfile != null && (AwsProfile.Length == 0 || AwsProfile.Any(char.IsWhiteSpace)))
            throw new UsageException($"--aws-profile '{AwsProfile}' is not a profile name; use the name of a [profile …] section in ~/.aws/config.");
        if (AwsTimeout is { } timeout && timeout <= TimeSpan.Zero)
            throw new UsageException($"--aws-timeout {timeout} must be longer than zero, like 30s.");
        if (AwsProfile != null && Cloud != CloudKind.Aws)
            Log.Warning($"--aws-profile '{AwsProfile}' is ignored with --cloud {Cloud.ToString().ToLowerInvariant()} " +
                        $"({(EndpointUrl != null ? "calls to --endpoint-url are signed with AWS_ACCESS_KEY_ID or test keys" : "the local cloud's own keys sign")}); add --cloud aws to use it.");
    }

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")]
    private static partial Regex RegionName();
}
