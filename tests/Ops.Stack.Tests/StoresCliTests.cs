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
        File.WriteAllText(file, "defaults:\n  local: {command: [sleep, \"600\"], prepare: []}\nstages:\n  cli1: {}\n  bad1: {}\n  bad2: {}\n  up1: {}\n  up2: {}\n  updry: {}\n");
        return file;
    });

    Task<CliRun> Run(params string[] args) =>
        OpsCli.RunAsync([.. args, "--endpoint-url", cloud.Server.Url.ToString(), .. args.Contains("--stack") ? Array.Empty<string>() : ["--stack", StackFile.Value]],
            TimeSpan.FromMinutes(5));

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
        var json = Assert.Single(status.Results());      // one JSON line, nothing else
        Assert.Equal(("status", 1, "cli1", "local"), ((string?)json["result"], (int)json["schema_version"]!, json["stage"]!.ToString(), (string?)json["cloud"]));
        Assert.False((bool)json["ok"]!);      // the queues are not made yet
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

    [Fact]
    public async Task Up_creates_the_stage_a_second_up_makes_no_mutating_call_and_status_is_healthy()
    {
        var first = await Run("up", "--stage", "up1");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Matches(@"stage up1 is up: \d+ change\(s\) made", first.Out);

        var before = cloud.Server.Requests.Entries.Count;
        var second = await Run("up", "--stage", "up1");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("stage up1 is up: nothing to change", second.Out);
        Assert.Empty(cloud.MutationsSince(before));
        // What every target looks up in common is read once per run: the account, the VPC, the groups, the secrets, the topics.
        var calls = cloud.Server.Requests.Entries.Skip(before).GroupBy(e => e.Operation).ToDictionary(g => g.Key, g => g.Count());
        foreach (var shared in new[] { "GetCallerIdentity", "DescribeVpcs", "DescribeSecurityGroups", "GetParameters", "ListTopics" })
            Assert.True(calls.GetValueOrDefault(shared) == 1, $"{shared}: {calls.GetValueOrDefault(shared)} calls in a no-op up, not 1");
        Assert.False(calls.ContainsKey("GetParameter"), "the stack's secrets are read together (GetParameters), not one by one");

        var status = await Run("status", "--stage", "up1", "--output", "json");
        var rows = JsonNode.Parse(status.Out)!["resources"]!.AsArray();
        // Everything up creates is there and healthy, the web tier's application and environment too.
        var unhealthy = rows.Where(r => !(bool)r!["healthy"]! || r["drift"]!.AsArray().Count > 0).Select(r => r!.ToJsonString()).ToList();
        Assert.Empty(unhealthy);
        Assert.Contains(rows, r => (string?)r!["kind"] == "eb-environment" && (bool)r["exists"]!);
    }

    [Fact]
    public async Task Up_dry_run_on_an_empty_stage_lists_what_it_would_create_and_makes_no_mutating_call()
    {
        var before = cloud.Server.Requests.Entries.Count;
        var dry = await Run("up", "--stage", "updry", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Empty(cloud.MutationsSince(before));
        foreach (var line in new[] { "would change rds instance iotile-db-updry: create", "would change bucket iotile-uploads-updry: create", "would change sns topic iotile-staff-notifications-updry: create",
                     "would change redis replication group iotile-redis-updry: create", "would change firehose stream iotile-streamtimeseries-updry: create", "would change queue iotile-worker-updry: create" })
            Assert.Contains(line, dry.Out);
        Assert.Matches(@"stage updry: \d+ change\(s\) would be made \(dry run\)", dry.Out);
    }

    [Fact]
    public async Task A_parallel_up_under_throttling_and_5xx_on_every_service_succeeds_with_no_duplicate_resource()
    {
        cloud.Server.Faults.Add(new Ops.LocalCloud.Diagnostics.FaultRule { Fraction = 0.15, Throttle = true });
        cloud.Server.Faults.Add(new Ops.LocalCloud.Diagnostics.FaultRule { Fraction = 0.15 / 0.85, ServerError = 503 });
        var before = cloud.Server.Requests.Entries.Count;
        CliRun run;
        try
        {
            run = await Run("up", "--stage", "up2", "--parallel", "4");
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(cloud.Server.Requests.Entries.Skip(before), e => e.Status == 503); // the injected faults did hit it
        var groups = (await AwsCli.Run(cloud.Server.Url, "ec2", "describe-security-groups"))!["SecurityGroups"]!.AsArray()
            .Select(g => g!["GroupName"]!.ToString()).Where(n => n.EndsWith("-up2", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, groups.Count);
        Assert.Equal(groups.Count, groups.Distinct().Count());
        var topics = (await AwsCli.Run(cloud.Server.Url, "sns", "list-topics"))!["Topics"]!.AsArray().Select(t => t!["TopicArn"]!.ToString()).Where(a => a.EndsWith("-up2",
            StringComparison.Ordinal)).ToList();
        Assert.Equal(3, topics.Count);
        var parameters = (await AwsCli.Run(cloud.Server.Url, "ssm", "describe-parameters", "--parameter-filters", "Key=Name,Option=BeginsWith,Values=iotilecloud.up2."))!["Parameters"]!.AsArray();
        Assert.Equal(6, parameters.Count); // the four store passwords and the web tier's two keys, each once
        var environments = (await AwsCli.Run(cloud.Server.Url, "elasticbeanstalk", "describe-environments", "--environment-names", "iotile-cloud-up2", "--no-include-deleted"))!["Environments"]!.AsArray();
        Assert.Single(environments);
        var again = await Run("up", "--stage", "up2");
        Assert.Contains("stage up2 is up: nothing to change", again.Out);
    }
}
