using System.Text.Json.Nodes;

namespace Ops.Stack.Tests;

/// <summary>
/// The data-store targets and status as a user runs them: ./build.sh as a child process against an in-process LocalCloud,
/// every output line read, the request log checked for mutating calls.
/// </summary>
[Collection(FleetCloudCollection.Name)]
public sealed class StoresCliTests(FleetCloud cloud)
{
    /// <summary>A stack file defining the test's stages (the built-in stack has dev, stage and prod only).</summary>
    static readonly Lazy<string> StackFile = new(() =>
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("ops-stores-").FullName, "ops.stack.yml");
        File.WriteAllText(file, "stages:\n  cli1: {}\n  bad1: {}\n  bad2: {}\n");
        return file;
    });

    Task<CliRun> Run(params string[] args) =>
        OpsCli.RunAsync([.. args, "--endpoint-url", cloud.Server.Url.ToString(), .. args.Contains("--stack") ? Array.Empty<string>() : ["--stack", StackFile.Value]], TimeSpan.FromMinutes(5));

    [Fact]
    public async Task Stores_then_status_are_healthy_a_second_run_changes_nothing_and_no_secret_is_printed()
    {
        var targets = new[] { "create-rds-instance", "create-redis-cluster", "create-redshift-cluster", "create-streamtimeseries-redshift", "create-dynamodb-tables" };
        var first = await Run([.. targets, "--stage", "cli1"]);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("rds instance iotile-db-cli1: available at", first.Out);

        var secrets = new List<string>();
        foreach (var name in new[] { "RdsPassword", "RedshiftPassword", "StreamTimeSeriesPassword", "RedisAuthToken" })
            secrets.Add((await AwsCli.Run(cloud.Server.Url, "ssm", "get-parameter", "--name", $"iotilecloud.cli1.{name}", "--with-decryption"))!["Parameter"]!["Value"]!.ToString());
        Assert.All(secrets, s => Assert.DoesNotContain(s, first.Text));

        var before = cloud.Server.Requests.Entries.Count;
        var second = await Run([.. targets, "--stage", "cli1"]);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("rds instance iotile-db-cli1: up to date", second.Out);

        var status = await Run("status", "--stage", "cli1", "--output", "json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Empty(cloud.MutationsSince(before));
        var json = JsonNode.Parse(status.Out)!;
        Assert.Equal("cli1", json["stage"]!.ToString());
        var rows = json["resources"]!.AsArray();
        foreach (var (kind, name) in new[] { ("rds-instance", "iotile-db-cli1"), ("redis", "iotile-redis-cli1"), ("redshift-cluster", "iotile-streamtimeseries-cli1"),
                     ("security-group", "iotile-cache-cli1"), ("sns-topic", "iotile-redis-notifications-cli1"), ("dynamodb-table", "iotile-devices-cli1"),
                     ("secret", "iotilecloud.cli1.RdsPassword") })
        {
            var row = rows.Single(r => r!["kind"]!.ToString() == kind && r["name"]!.ToString() == name)!;
            Assert.True((bool)row["exists"]! && (bool)row["healthy"]! && row["drift"]!.AsArray().Count == 0, row.ToJsonString());
        }
        var queue = rows.Single(r => r!["kind"]!.ToString() == "sqs-queue" && r["name"]!.ToString() == "iotile-worker-cli1")!;
        Assert.False((bool)queue["exists"]!);
        Assert.Equal(rows.Count, (int)json["summary"]!["total"]!);
        Assert.All(secrets, s => Assert.DoesNotContain(s, status.Text));

        var table = await Run("status", "--stage", "cli1");
        Assert.Matches(@"rds-instance\s+iotile-db-cli1\s+ok\s+available", table.Out);
        Assert.Matches(@"sqs-queue\s+iotile-worker-cli1\s+MISSING", table.Out);
    }

    [Theory]
    [InlineData("--stage", "Bad!", "--stage 'Bad!'")]
    [InlineData("--parallel", "0", "--parallel takes one whole number of at least 1")]
    [InlineData("--endpoint-url", "ftp://x", "must be an http:// or https:// URL")]
    public async Task Bad_input_to_a_store_target_is_one_line_exit_2_and_no_call(string option, string value, string expected)
    {
        var before = cloud.Server.Requests.Entries.Count;
        var args = new List<string> { "create-rds-instance", option, value };
        if (option != "--stage") args.AddRange(["--stage", "bad1"]);
        var run = option == "--endpoint-url" ? await OpsCli.RunAsync(args) : await Run([.. args]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Err);
        Assert.DoesNotContain("   at ", run.Text);
        Assert.Empty(cloud.MutationsSince(before));
    }

    [Fact]
    public async Task A_bad_stack_file_stops_every_store_target_before_any_call()
    {
        var dir = Directory.CreateTempSubdirectory("ops-stores-");
        var file = Path.Combine(dir.FullName, "bad.yml");
        await File.WriteAllTextAsync(file, "defaults:\n  database: {password-secret: Typo}\n");
        var before = cloud.Server.Requests.Entries.Count;
        var run = await Run("create-rds-instance", "create-redis-cluster", "--stage", "bad2", "--stack", file);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("defaults.database.password-secret: 'Typo' is not in secrets.generated", run.Err);
        Assert.Equal(before, cloud.Server.Requests.Entries.Count);
    }
}
