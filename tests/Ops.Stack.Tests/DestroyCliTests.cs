using System.Text.Json.Nodes;

namespace Ops.Stack.Tests;

/// <summary>
/// destroy as a user runs it (./build.sh as a child process): it refuses without --destroy-data and a matching --confirm,
/// refuses prod without --allow-prod, each before any call; its dry run lists everything and changes nothing; and a real
/// run deletes every resource of the stage (a final RDS snapshot first), keeps what every stage shares, and a second run
/// finds nothing left.
/// </summary>
[Collection(FleetCloudCollection.Name)]
public sealed class DestroyCliTests(FleetCloud cloud)
{
    static readonly Lazy<string> StackFile = new(() =>
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("ops-destroy-").FullName, "ops.stack.yml");
        File.WriteAllText(file, "defaults:\n  local: {command: [sleep, \"600\"], prepare: []}\nstages:\n  ds1: {}\n  ds2: {}\n");
        return file;
    });

    Task<CliRun> Run(params string[] args) =>
        OpsCli.RunAsync([.. args, "--endpoint-url", cloud.Server.Url.ToString(), .. args.Contains("--stack") ? Array.Empty<string>() : ["--stack", StackFile.Value]], TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData("ds2", "", "pass --destroy-data --confirm ds2 to go on")]
    [InlineData("ds2", "--destroy-data", "destroy needs --confirm ds2")]
    [InlineData("ds2", "--destroy-data --confirm ds1", "--confirm 'ds1' does not match --stage ds2")]
    [InlineData("prod", "--destroy-data --confirm prod", "destroy refuses stage prod")]
    public async Task Destroy_without_its_confirmation_or_of_prod_is_one_line_exit_2_and_no_call(string stage, string flags, string expected)
    {
        var before = cloud.Server.Requests.Entries.Count;
        var args = new List<string> { "destroy", "--stage", stage };
        args.AddRange(flags.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // prod is a built-in stage: no --stack file.
        var run = stage == "prod" ? await OpsCli.RunAsync([.. args, "--endpoint-url", cloud.Server.Url.ToString()]) : await Run([.. args]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Err);
        Assert.DoesNotContain("   at ", run.Text);
        Assert.Equal(before, cloud.Server.Requests.Entries.Count);
    }

    [Fact]
    public async Task Destroy_lists_everything_on_a_dry_run_then_deletes_the_stage_with_a_final_snapshot_and_a_second_run_finds_nothing()
    {
        var up = await Run("up", "--stage", "ds1");
        Assert.True(up.ExitCode == 0, up.ToString());
        var missing = await MissingAsync(expectMissing: true);
        Assert.True(missing.Count == 0, string.Join(", ", missing));

        var before = cloud.Server.Requests.Entries.Count;
        var dry = await Run("destroy", "--stage", "ds1", "--dry-run", "--drain", "task-protection");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Empty(cloud.MutationsSince(before));
        foreach (var line in new[] { "would change rds instance iotile-db-ds1: deletion protection on → off", "would change table iotile-devices-ds1: deletion protection on → off",
                     "would change bucket iotile-statics-ds1: status", "would change queue iotile-worker-ds1: status exists → deleted", "would change eb environment iotile-cloud-ds1: status Ready Green",
                     "would change redis replication group iotile-redis-ds1: status available → deleted", "would change security group iotile-db-ds1: status" })
            Assert.Contains(line, dry.Out);

        var destroy = await Run("destroy", "--stage", "ds1", "--destroy-data", "--confirm", "ds1", "--drain", "task-protection");
        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.Contains("kept (shared by every stage): Elastic Beanstalk application iotile-cloud and its versions, ECR repository iotile-cloud-server", destroy.Out);
        Assert.DoesNotContain("could not release", destroy.Text); // the lease is released before its table goes
        Assert.DoesNotContain("kept: RDS", destroy.Out);
        var snapshots = (await AwsCli.Run(cloud.Server.Url, "rds", "describe-db-snapshots", "--db-instance-identifier", "iotile-db-ds1"))!["DBSnapshots"]!.AsArray();
        Assert.Contains(snapshots, s => ((string?)s!["DBSnapshotIdentifier"])!.StartsWith("iotile-db-ds1-final-", StringComparison.Ordinal));
        var secrets = await AwsCli.Run(cloud.Server.Url, "ssm", "describe-parameters", "--parameter-filters", "Key=Name,Option=BeginsWith,Values=iotilecloud.ds1.");
        Assert.Empty(secrets!["Parameters"]!.AsArray());
        Assert.Equal(await ResourceCountAsync(), (await MissingAsync(expectMissing: true)).Count);

        var again = await Run("destroy", "--stage", "ds1", "--destroy-data", "--confirm", "ds1", "--drain", "task-protection");
        Assert.True(again.ExitCode == 0, again.ToString());
        // Only the rollout table this run made for its own lease.
        var deleted = again.Out.Split('\n').Where(l => l.Contains("→ deleted", StringComparison.Ordinal)).ToList();
        Assert.True(deleted.Count == 1 && deleted[0].Contains("table iotile-rollouts-ds1", StringComparison.Ordinal), again.ToString());
    }

    /// <summary>The status rows of ds1 that are (or, with <paramref name="expectMissing"/> false, are not) missing, the shared application and repository left out.</summary>
    async Task<List<string>> MissingAsync(bool expectMissing)
    {
        var status = await Run("status", "--stage", "ds1", "--output", "json");
        return Rows(status).Where(r => (bool)r["exists"]! != expectMissing).Select(r => $"{r["kind"]} {r["name"]}").ToList();
    }

    async Task<int> ResourceCountAsync() => Rows(await Run("status", "--stage", "ds1", "--output", "json")).Count;

    static List<JsonNode> Rows(CliRun status) =>
        JsonNode.Parse(status.Out)!["resources"]!.AsArray().Select(r => r!).Where(r => (string?)r["kind"] is not ("eb-application" or "ecr-repository")).ToList();
}
