using Amazon.Runtime;
using Ops.Aws;

/// <summary>What every benchmark mode needs from its surroundings: the checkout, the machine's load, a connection to a local cloud.</summary>
static class BenchEnvironment
{
    /// <summary>The checkout (the directory holding Ops.sln) above the working directory or the program.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Ops.sln"))) return dir.FullName;
        }
        throw new BenchException("no Ops.sln above the working directory; run the benchmark from the checkout (dotnet run --project bench/Ops.Bench -- ...)");
    }

    /// <summary>The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them ("?" where there is none).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>One line naming the machine and the time, printed first by every mode.</summary>
    public static string MachineLine() =>
        $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}";

    /// <summary>
    /// The operator keys every local cloud a benchmark starts is given (<see cref="Operator"/>), so that the calls that start
    /// programs (CreateService, RunTask) are allowed; the benchmark's ./build.sh runs get them too.
    /// </summary>
    public const string OperatorAccessKey = "LKIABENCHOPERATOR001";

    public const string OperatorSecretKey = "ops-bench-operator-secret-not-public";

    /// <summary><paramref name="options"/> with the benchmark's operator keys.</summary>
    public static Ops.LocalCloud.LocalCloudOptions Operator(Ops.LocalCloud.LocalCloudOptions options) =>
        options with { AccessKey = OperatorAccessKey, SecretKey = OperatorSecretKey };

    /// <summary>A connection to a local cloud with the benchmark's operator keys; retries left to the SDK's default.</summary>
    public static AwsConnection Connection(Uri url) => new()
    {
        Credentials = new BasicAWSCredentials(OperatorAccessKey, OperatorSecretKey),
        Region = "us-east-1",
        EndpointUrl = url,
        IsOpsLocalCloud = true,
    };
}
