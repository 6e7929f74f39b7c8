using Ops.Aws;
using Ops.LocalCloud;
using Ops.Stack.Core;
using Ops.Stack.Model;

namespace Ops.Stack.Tests;

/// <summary>LocalCloud in-process (instant lifecycles) for the fleet scenarios; each test takes its own stage so they never collide.</summary>
public sealed class FleetCloud : IAsyncLifetime
{
    public LocalCloudServer Server { get; private set; } = null!;

    public AwsConnection Connection => TestClouds.Connection(Server.Url, 2, opsLocalCloud: true);

    /// <summary>A context for <paramref name="stack"/> on this cloud, waits short, as LocalCloud.</summary>
    public StageContext Context(StageStack stack, CapturedLog log, bool dryRun = false) => new()
    {
        Connection = Connection,
        Stack = stack,
        Log = log,
        DryRun = dryRun,
        RepositoryRoot = RepositoryRoot,
        PollInterval = TimeSpan.FromMilliseconds(100),
        WaitTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The checkout this test runs from (a git repository, so the image tag resolves).</summary>
    public static string RepositoryRoot => Ops.TestSupport.RepositoryRoot.Path;

    /// <summary>The built-in stack of a fresh stage, with a local command that needs nothing prepared.</summary>
    public static StageStack Stack(string stage) => StackDefaults.For(stage) with
    {
        Local = new LocalSpec { Command = ["sleep", "600"], Prepare = [] },
    };

    /// <summary>Mutating calls the server received since <paramref name="since"/>: anything but Describe/List/Get, and for S3 anything but GET and
    /// HEAD.</summary>
    public List<string> MutationsSince(int since) => Mutations(Server, since);

    /// <summary>Mutating calls <paramref name="server"/> received since <paramref name="since"/> (see <see cref="MutationsSince"/>).</summary>
    public static List<string> Mutations(LocalCloudServer server, int since) => server.Requests.Entries.Skip(since)
        .Select(e => $"{e.Service}:{e.Operation}")
        .Where(o => o.Split(':')[1] is var op && !(op.StartsWith("Describe") || op.StartsWith("List") || op.StartsWith("Get")
                                                  || (o.StartsWith("s3:", StringComparison.Ordinal) && (op.StartsWith("GET ") || op.StartsWith("HEAD ")))))
        .ToList();

    public async Task InitializeAsync() => Server = await LocalCloudServer.StartAsync(TestClouds.Options());

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class FleetCloudCollection : ICollectionFixture<FleetCloud>
{
    public const string Name = "fleet local cloud";
}
