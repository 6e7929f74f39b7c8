using System.Text.Json.Nodes;
using Ops.LocalCloud;

namespace Ops.Stack.Tests;

/// <summary>
/// The web tier as a user runs it: ./build.sh create, deploy and deploy-statics as child processes against a LocalCloud
/// with a state directory, so each Elastic Beanstalk environment runs the web source's Procfile process for real. The web
/// source is a copy of the repository's web/ under .nuke/temp (web.source must be inside the repository), so a test can
/// change it or break it.
/// </summary>
public sealed class WebCliTests : IAsyncLifetime
{
    /// <summary>Targets deploy triggers that need a worker fleet; these tests are about the web tier.</summary>
    static readonly string[] SkipWorkers = ["--skip", "build-docker", "shutdown-ecs-workers", "update-ecs", "deploy-worker"];

    readonly string _state = Directory.CreateTempSubdirectory("ops-web-cloud-").FullName;
    readonly string _id = Guid.NewGuid().ToString("N")[..8];
    LocalCloudServer _server = null!;
    string _stackFile = null!;

    /// <summary>The web source, relative to the repository root (as web.source takes it).</summary>
    string Source => $".nuke/temp/web-tests/{_id}/web";

    string SourceDirectory => Path.Combine(FleetCloud.RepositoryRoot, Source);

    /// <summary>A CloudFront distribution id (LocalCloud takes any id as an existing distribution).</summary>
    string Distribution => $"E{_id.ToUpperInvariant()}WEB";

    public async Task InitializeAsync()
    {
        _server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            AccessKey = TestKeys.OperatorAccessKey,
            SecretKey = TestKeys.OperatorSecretKey,
            StateDirectory = _state,
            Delays = LifecycleDelays.Instant,
            RunDataStores = false,
            RunTasks = false,
        });
        CopyDirectory(Path.Combine(FleetCloud.RepositoryRoot, "web"), SourceDirectory);
        _stackFile = Path.Combine(_state, "ops.stack.yml");
        await File.WriteAllTextAsync(_stackFile, $$"""
            defaults:
              local: {command: [sleep, "600"], prepare: []}
              web: {source: {{Source}}}
              statics: {build: [python3, {{Source}}/manage.py, collectstatic, --noinput, --clear], directory: {{Source}}/staticfiles}
            stages:
              web1: {}
              web2: {}
              web4: {}
              web5:
                statics:
                  distribution: {{Distribution}}
            """);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(SourceDirectory)!, recursive: true);
        Directory.Delete(_state, recursive: true);
    }

    static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "staticfiles" or "__pycache__")) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>The data stores' passwords create's secrets-check requires (their create targets would generate them).</summary>
    async Task StoreSecretsAsync(string stage)
    {
        foreach (var name in new[] { "RdsPassword", "RedisAuthToken", "RedshiftPassword", "StreamTimeSeriesPassword" })
            await AwsCli.Run(_server.Url, "ssm", "put-parameter", "--name", $"iotilecloud.{stage}.{name}", "--type", "SecureString", "--value", $"{name}-{Guid.NewGuid():N}");
    }

    Task<CliRun> Run(params string[] args) =>
        OpsCli.RunAsync([.. args, "--endpoint-url", _server.Url.ToString(), "--stack", _stackFile], TimeSpan.FromMinutes(5));

    int Requests => _server.Requests.Entries.Count;

    List<string> MutationsSince(int since) => FleetCloud.Mutations(_server, since);

    async Task<JsonNode> EnvironmentAsync(string stage) =>
        (await AwsCli.Run(_server.Url, "elasticbeanstalk", "describe-environments", "--environment-names", $"iotile-cloud-{stage}", "--no-include-deleted"))!["Environments"]![0]!;

    static async Task<string> GetAsync(JsonNode environment, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync($"http://{environment["CNAME"]}{path}");
    }

    [Fact]
    public async Task Create_serves_the_web_app_a_changed_source_deploys_as_a_new_version_and_a_second_deploy_changes_nothing()
    {
        await StoreSecretsAsync("web1");
        var create = await Run("create-buckets", "create", "--stage", "web1");
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(create.Out, @"eb environment iotile-cloud-web1: Ready, Green, version v-[0-9a-f]{12}, serving at 127\.0\.0\.1:\d+"), create.ToString());
        var env = await EnvironmentAsync("web1");
        var page = await GetAsync(env, "/");
        Assert.Contains("Stage: <b>web1</b>", page);
        Assert.Contains("SecretKey", page); // the names of the secrets, never their values
        var secrets = new List<string>();
        foreach (var name in new[] { "SecretKey", "JwtSecretKey" })
            secrets.Add((await AwsCli.Run(_server.Url, "ssm", "get-parameter", "--name", $"iotilecloud.web1.{name}", "--with-decryption"))!["Parameter"]!["Value"]!.ToString());
        Assert.All(secrets, s => Assert.DoesNotContain(s, create.Text + page));

        var unchanged = Requests;
        var again = await Run("create", "--stage", "web1");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("eb environment iotile-cloud-web1: up to date (Ready, health Green", again.Out);
        Assert.Empty(MutationsSince(unchanged));

        await File.AppendAllTextAsync(Path.Combine(SourceDirectory, "application.py"), "\n# a change that makes a new version\n");
        await File.AppendAllTextAsync(Path.Combine(SourceDirectory, "static", "robots.txt"), "# changed\n");
        var beforeDry = Requests;
        var dry = await Run(["deploy", "--stage", "web1", "--dry-run", .. SkipWorkers]);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Empty(MutationsSince(beforeDry));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(dry.Out, @"would change eb environment iotile-cloud-web1: version v-[0-9a-f]{12} → v-[0-9a-f]{12}"), dry.ToString());
        Assert.Contains("would upload 3 new and 0 changed file(s)", dry.Out); // create uploads no statics; deploy-statics does
        Assert.Equal((string?)env["VersionLabel"], (string?)(await EnvironmentAsync("web1"))["VersionLabel"]);

        var deploy = await Run(["deploy", "--stage", "web1", .. SkipWorkers]);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Matches(@"deployed v-[0-9a-f]{12} to eb environment iotile-cloud-web1: Ready, Green, serving at 127\.0\.0\.1:\d+", deploy.Out);
        var deployed = await EnvironmentAsync("web1");
        Assert.NotEqual((string?)env["VersionLabel"], (string?)deployed["VersionLabel"]);
        Assert.Equal((string?)env["CNAME"], (string?)deployed["CNAME"]);
        Assert.Contains("Stage: <b>web1</b>", await GetAsync(deployed, "/"));
        Assert.All(secrets, s => Assert.DoesNotContain(s, deploy.Text));

        var before = Requests;
        var second = await Run(["deploy", "--stage", "web1", .. SkipWorkers]);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"already runs {deployed["VersionLabel"]} and is Green: nothing to deploy", second.Out);
        Assert.DoesNotContain(MutationsSince(before), m => m.StartsWith("elasticbeanstalk:", StringComparison.Ordinal));

        var status = await Run("status", "--stage", "web1", "--output", "json");
        var row = JsonNode.Parse(status.Out)!["resources"]!.AsArray().Single(r => (string?)r!["kind"] == "eb-environment")!;
        Assert.True((bool)row["healthy"]!, row.ToJsonString());
        Assert.Contains($"Ready Green {deployed["VersionLabel"]}", (string?)row["state"]);
    }

    [Fact]
    public async Task A_version_whose_web_process_fails_its_health_check_is_rolled_back_and_deploy_exits_1()
    {
        await StoreSecretsAsync("web2");
        var create = await Run("create-buckets", "create", "--stage", "web2");
        Assert.True(create.ExitCode == 0, create.ToString());
        var good = (string)(await EnvironmentAsync("web2"))["VersionLabel"]!;

        var app = Path.Combine(SourceDirectory, "application.py");
        await File.WriteAllTextAsync(app, (await File.ReadAllTextAsync(app)).Replace("self.reply(200, \"text/plain; charset=utf-8\", b\"ok\\n\")", "self.reply(500, \"text/plain; charset=utf-8\", b\"broken\\n\")", StringComparison.Ordinal));
        var deploy = await Run(["deploy", "--stage", "web2", .. SkipWorkers]);
        Assert.True(deploy.ExitCode == 1, deploy.ToString());
        Assert.True(deploy.Text.Contains($"error: rolled back to {good}: ERROR events: Health check failed: HTTP 500 from GET /health. Failed to deploy application.", StringComparison.Ordinal), deploy.ToString());
        Assert.DoesNotContain("   at ", deploy.Text);

        var env = await EnvironmentAsync("web2");
        Assert.Equal((good, "Ready", "Green"), ((string?)env["VersionLabel"], (string?)env["Status"], (string?)env["Health"]));
        Assert.Contains("Stage: <b>web2</b>", await GetAsync(env, "/"));
    }

    [Fact]
    public async Task Deploy_statics_uploads_only_changed_files_and_invalidates_only_their_paths()
    {
        var buckets = await Run("create-buckets", "--stage", "web5");
        Assert.True(buckets.ExitCode == 0, buckets.ToString());
        var distribution = Distribution;

        var before = Requests;
        var first = await Run("deploy-statics", "--stage", "web5");
        Assert.True(first.ExitCode == 0, first.ToString());
        var files = Directory.GetFiles(Path.Combine(SourceDirectory, "static"), "*", SearchOption.AllDirectories).Length;
        Assert.Equal(files, Puts(before)); // new files need no invalidation, so no pending record either

        await File.AppendAllTextAsync(Path.Combine(SourceDirectory, "static", "css", "site.css"), "\n/* changed */\n");
        before = Requests;
        var second = await Run("deploy-statics", "--stage", "web5");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(2, Puts(before)); // site.css, and the record of the paths to invalidate (written first, deleted once invalidated)
        Assert.Contains($"invalidating 1 path(s) of CloudFront distribution {distribution}", second.Out);
        var invalidations = (await AwsCli.Run(_server.Url, "cloudfront", "list-invalidations", "--distribution-id", distribution))!["InvalidationList"]!["Items"]!.AsArray();
        var newest = (string)invalidations.OrderByDescending(i => (string?)i!["CreateTime"]).First()!["Id"]!;
        var paths = (await AwsCli.Run(_server.Url, "cloudfront", "get-invalidation", "--distribution-id", distribution, "--id", newest))!["Invalidation"]!["InvalidationBatch"]!["Paths"]!["Items"]!.AsArray();
        Assert.Equal(["/static/css/site.css"], paths.Select(p => (string)p!));

        before = Requests;
        var third = await Run("deploy-statics", "--stage", "web5");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(0, Puts(before));
        Assert.DoesNotContain(MutationsSince(before), m => m.StartsWith("cloudfront:", StringComparison.Ordinal));
    }

    /// <summary>Object PUTs since <paramref name="since"/> (the static files, and deploy-statics' pending-invalidation record).</summary>
    int Puts(int since) => _server.Requests.Entries.Skip(since).Count(e => e.Service == "s3" && e.Operation == "PUT object");

    [Fact]
    public async Task A_web_source_without_a_Procfile_stops_create_and_deploy_with_exit_2_before_any_call()
    {
        File.Delete(Path.Combine(SourceDirectory, "Procfile"));
        foreach (var target in new[] { "create", "deploy" })
        {
            var before = Requests;
            var run = await Run(target, "--stage", "web4");
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains($"web.source '{Source}' has no Procfile; add one with a web: line", run.Err);
            Assert.DoesNotContain("   at ", run.Text);
            Assert.Empty(MutationsSince(before));
        }
    }
}
