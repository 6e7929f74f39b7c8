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
        File.WriteAllText(file, "defaults:\n  local: {command: [sleep, \"600\"], prepare: []}\nstages:\n  ds1: {}\n  ds2: {}\n  production: {like: prod}\n  guarded: {protected: true}\n");
        return file;
    });

    Task<CliRun> Run(params string[] args) =>
        OpsCli.RunAsync([.. args, "--endpoint-url", cloud.Server.Url.ToString(), .. args.Contains("--stack") ? Array.Empty<string>() : ["--stack", StackFile.Value]],
            TimeSpan.FromMinutes(5));

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

    [Theory]
    [InlineData("destroy --stage production --destroy-data --confirm production", "destroy refuses stage production: it is protected")]
    [InlineData("destroy --stage guarded --destroy-data --confirm guarded", "destroy refuses stage guarded: it is protected")]
    [InlineData("teardown --stage production", "teardown of stage production needs --confirm production")]
    [InlineData("teardown --stage guarded --confirm production", "--confirm 'production' does not match --stage guarded")]
    [InlineData("drill --stage production", "drill of stage production needs --confirm production")]
    public async Task A_protected_stage_is_guarded_by_the_stack_not_by_its_name(string command, string expected)
    {
        var before = cloud.Server.Requests.Entries.Count;
        var run = await Run(command.Split(' '));
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Err);
        Assert.Equal(before, cloud.Server.Requests.Entries.Count);
    }

    [Fact]
    public async Task Guards_exported_in_the_environment_are_not_read()
    {
        var before = cloud.Server.Requests.Entries.Count;
        var env = new Dictionary<string, string>
        {
            ["DESTROY_DATA"] = "1",
            ["CONFIRM"] = "ds2",
            ["OPS_DESTROY_DATA"] = "true",
            ["OPS_CONFIRM"] = "ds2",
            ["ALLOW_PROD"] = "",
            ["STAGE"] = "prod",
        };
        var run = await OpsCli.RunAsync(["destroy", "--stage", "ds2", "--endpoint-url", cloud.Server.Url.ToString(), "--stack", StackFile.Value], environment: env);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("pass --destroy-data --confirm ds2 to go on", run.Err);
        Assert.Equal(before, cloud.Server.Requests.Entries.Count);
    }

    /// <summary>
    /// The generated destroy workflow's own step, run as GitHub would (its env, its run line through bash) against the
    /// local cloud instead of --cloud aws: allow_prod unchecked must not break an unprotected stage, checked must pass
    /// --allow-prod, and unchecked must stop a protected one.
    /// </summary>
    [Theory]
    [InlineData("ds2", false, 0, "")]
    [InlineData("production", false, 2, "destroy refuses stage production: it is protected")]
    [InlineData("production", true, 0, "")]
    public async Task The_generated_destroy_workflow_runs_with_allow_prod_unchecked_and_checked(string stage, bool allowProd, int expectedExit, string expected)
    {
        var files = Pipelines.PipelineGenerator.Generate(Ops.Stack.StackLoader.Parse("ops.stack.yml", File.ReadAllText(StackFile.Value)).Stages
            .Select(s => Ops.Stack.StackLoader.Parse("ops.stack.yml", File.ReadAllText(StackFile.Value)).For(s)).ToList());
        var (env, line) = WorkflowStep(files[".github/workflows/ops-destroy.yml"], "destroy");
        var inputs = new Dictionary<string, string>
        {
            ["${{ inputs.stage }}"] = stage,
            ["${{ inputs.confirm }}"] = stage,
            ["${{ inputs.allow_prod && '--allow-prod' || '' }}"] = allowProd ? "--allow-prod" : ""
        };
        var environment = env.ToDictionary(e => e.Key, e => inputs.TryGetValue(e.Value, out var v) ? v : e.Value);
        Assert.Contains("--cloud aws", line);
        var command = line.Replace("./build.sh", Path.Combine(FleetCloud.RepositoryRoot, "build.sh"))
            .Replace("--cloud aws", $"--endpoint-url {cloud.Server.Url} --stack {StackFile.Value} --drain task-protection");
        var run = await OpsCli.RunAsync(["--help"]); // builds once before the timed run below
        Assert.Equal(0, run.ExitCode);
        using var bash = new ChildProcess("bash", ["-c", command], FleetCloud.RepositoryRoot,
            new Dictionary<string, string>(environment) { ["NO_COLOR"] = "1", ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test", ["AWS_REGION"] = "us-east-1" });
        var code = await bash.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(code == expectedExit, $"{command}\nexit {code}\n{bash.Out}\n{bash.Err}");
        Assert.DoesNotContain("is not a bool", bash.Err);
        if (expected.Length > 0) Assert.Contains(expected, bash.Err);
    }

    /// <summary>The env and run line of the workflow step named <paramref name="name"/>.</summary>
    static (Dictionary<string, string> Env, string Run) WorkflowStep(string workflow, string name)
    {
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(workflow));
        var jobs = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode)["jobs"];
        var job = (YamlDotNet.RepresentationModel.YamlMappingNode)jobs.Children.Single().Value;
        var steps = (YamlDotNet.RepresentationModel.YamlSequenceNode)job["steps"];
        var key = new YamlDotNet.RepresentationModel.YamlScalarNode("name");
        var step = steps.Children.Cast<YamlDotNet.RepresentationModel.YamlMappingNode>().Single(s => s.Children.TryGetValue(key, out var n)
            && n.ToString() == name);
        var env = ((YamlDotNet.RepresentationModel.YamlMappingNode)step["env"]).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString());
        return (env, step["run"].ToString());
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
        // The stack's workers run with OPS_DRAIN=kill-ack: a task-protection drain says they take no protection.
        Assert.Contains("run with OPS_DRAIN=kill-ack and take no task protection", destroy.Text);
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

    /// <summary>The status rows of ds1 that are (or, with <paramref name="expectMissing"/> false, are not) missing, the shared application and repository left
    /// out.</summary>
    async Task<List<string>> MissingAsync(bool expectMissing)
    {
        var status = await Run("status", "--stage", "ds1", "--output", "json");
        return Rows(status).Where(r => (bool)r["exists"]! != expectMissing).Select(r => $"{r["kind"]} {r["name"]}").ToList();
    }

    async Task<int> ResourceCountAsync() => Rows(await Run("status", "--stage", "ds1", "--output", "json")).Count;

    static List<JsonNode> Rows(CliRun status) =>
        JsonNode.Parse(status.Out)!["resources"]!.AsArray().Select(r => r!).Where(r => (string?)r["kind"] is not ("eb-application" or "ecr-repository")).ToList();
}
