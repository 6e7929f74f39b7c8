using Npgsql;
using Ops.LocalCloud;

namespace Ops.Build.Tests;

/// <summary>
/// Nothing the local cloud starts outlives it, and a kill -9 is survivable: its PostgreSQL and Redis are left running by
/// a kill -9 (the premise), stopped by the next start, which brings every settled resource back — the RDS instance
/// available again and accepting its password — and a SIGTERM stops them all, one still being created included.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class LocalCloudKillTests
{
    const string Password = "Kill-Nine-Password-1";

    [Fact]
    public async Task Servers_left_by_kill_9_are_stopped_at_the_next_start_which_brings_the_database_back_and_sigterm_leaves_nothing()
    {
        using var root = new TestRoot();
        var state = root.Nuke("temp/local-cloud");
        // As root, PostgreSQL runs as postgres, which must reach the state directory through this scratch folder.
        Directory.CreateDirectory(state);
        foreach (var dir in new[] { root.Path, root.Nuke(""), root.Nuke("temp") })
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute);
        var port = LoopbackPort.Free();
        var endpoint = new Uri($"http://127.0.0.1:{port}");
        List<int> leftovers;
        int dbPort;

        using (var server = LocalCloudProcess.Start(root, port))
        {
            await server.WaitForOutput("press Ctrl+C to stop", TimeSpan.FromSeconds(60));
            var keys = OperatorCredentials.TryRead(state)!;
            await AwsCli.RunAs(keys.AccessKey, keys.SecretKey, endpoint, "rds", "create-db-instance", "--db-instance-identifier", "kill-db", "--engine", "postgres",
                "--db-instance-class", "db.t4g.micro", "--master-username", "iotile", "--master-user-password", Password, "--db-name", "iotile", "--allocated-storage", "20");
            await AwsCli.RunAs(keys.AccessKey, keys.SecretKey, endpoint, "elasticache", "create-replication-group", "--replication-group-id", "kill-redis",
                "--replication-group-description", "kill test", "--engine", "redis", "--cache-node-type", "cache.t4g.micro");
            dbPort = await AvailableAsync(endpoint);
            Assert.Contains("behind RDS and Redshift", server.Out + server.Err);
            await WriteRowAsync(dbPort);
            leftovers = Recorded(state);
            Assert.True(leftovers.Count >= 2, $"expected postgres and redis-server recorded under {state}/pids, found {leftovers.Count}");

            server.Signal("KILL");
            await server.WaitForExit(TimeSpan.FromSeconds(30));
        }
        Assert.All(leftovers, pid => Assert.True(Alive(pid), $"server process {pid} died with the local cloud; the test needs it left behind"));

        using (var server = LocalCloudProcess.Start(root, port))
        {
            await server.WaitForOutput("press Ctrl+C to stop", TimeSpan.FromSeconds(60));
            Assert.All(leftovers, pid => Assert.False(Alive(pid), $"server process {pid} left by the killed local cloud is still running"));
            Assert.Equal(dbPort, await AvailableAsync(endpoint));
            Assert.Equal("kept", await ReadRowAsync(dbPort));

            // A lifecycle step in flight at SIGTERM: a second database still being created.
            var keys = OperatorCredentials.TryRead(state)!;
            await AwsCli.RunAs(keys.AccessKey, keys.SecretKey, endpoint, "rds", "create-db-instance", "--db-instance-identifier", "in-flight", "--engine", "postgres",
                "--db-instance-class", "db.t4g.micro", "--master-username", "iotile", "--master-user-password", Password, "--allocated-storage", "20");
            server.Signal("TERM");
            Assert.Equal(0, await server.WaitForExit(TimeSpan.FromSeconds(90)));
        }
        var remaining = Ours(state);
        Assert.True(remaining.Count == 0, $"still running after SIGTERM: {string.Join(", ", remaining.Select(Describe))}");
    }

    /// <summary>Waits for kill-db to be available; returns its port.</summary>
    static async Task<int> AvailableAsync(Uri endpoint)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var db = (await AwsCli.Run(endpoint, "rds", "describe-db-instances", "--db-instance-identifier", "kill-db"))!["DBInstances"]![0]!;
            var status = (string?)db["DBInstanceStatus"];
            Assert.NotEqual("failed", status);
            if (status == "available") return (int)db["Endpoint"]!["Port"]!;
            Assert.True(DateTime.UtcNow < deadline, $"kill-db stayed {status}");
            await Task.Delay(250);
        }
    }

    static string Connection(int port) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = "iotile",
        Password = Password,
        Database = "iotile",
        Pooling = false,
        Timeout = 10,
    }.ConnectionString;

    static async Task WriteRowAsync(int port)
    {
        await using var connection = new NpgsqlConnection(Connection(port));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("create table marker(v text); insert into marker values ('kept')", connection);
        await command.ExecuteNonQueryAsync();
    }

    static async Task<string?> ReadRowAsync(int port)
    {
        await using var connection = new NpgsqlConnection(Connection(port));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select v from marker", connection);
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>The servers the local cloud recorded as running (their session leaders), from its pid files.</summary>
    static List<int> Recorded(string state) =>
        Directory.EnumerateFiles(Path.Combine(state, "pids"), "*.pid")
            .Select(f => System.Text.Json.JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("Pid").GetInt32())
            .Where(Alive).ToList();

    /// <summary>Live processes whose command line or working directory lies in <paramref name="state"/> (postgres, redis-server, registry, web,
    /// tasks).</summary>
    static List<int> Ours(string state)
    {
        var result = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId || !Alive(pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget ?? "";
                if (cmdline.Contains("_build.dll", StringComparison.Ordinal)) continue; // the local cloud itself, or the test run's builds
                if (cmdline.Contains(state, StringComparison.Ordinal) || (cwd + "/").StartsWith(state + "/", StringComparison.Ordinal)) result.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return result;
    }

    static string Describe(int pid)
    {
        try { return $"{pid} {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ')}"; }
        catch (IOException) { return pid.ToString(); }
    }

    static bool Alive(int pid)
    {
        try { return File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z'); }
        catch (IOException) { return false; }
    }
}
