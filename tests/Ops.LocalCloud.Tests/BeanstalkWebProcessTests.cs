using System.IO.Compression;
using System.Net.Sockets;
using System.Text;
using Amazon.S3.Model;
using Ops.Aws;
using Ops.Aws.ElasticBeanstalk;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// With a state directory, an Elastic Beanstalk environment runs its version's Procfile web process on a loopback port
/// (its CNAME): health follows the process's answers (Green when its health check answers 2xx, Red on a 500 or an exit),
/// the failure is an ERROR event a deploy can see, the process comes back on the same port after a restart of the local
/// cloud, and a terminate stops it.
/// </summary>
public sealed class BeanstalkWebProcessTests : IDisposable
{
    const string App = "web-app";
    const string Env = "web-app-dev";

    /// <summary>A stdlib server: GET / answers $GREETING, GET /health answers $HEALTH_CODE (200 by default).</summary>
    const string Server = """
        import os, sys
        from http.server import BaseHTTPRequestHandler, HTTPServer
        class H(BaseHTTPRequestHandler):
            def do_GET(self):
                code = int(os.environ.get("HEALTH_CODE", "200")) if self.path == "/health" else 200
                body = (os.environ.get("GREETING", "hello") if self.path == "/" else "health").encode()
                self.send_response(code); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            def log_message(self, *a): pass
        print("serving on", os.environ["PORT"], flush=True)
        HTTPServer((os.environ["HOST"], int(os.environ["PORT"])), H).serve_forever()
        """;

    readonly string _state = Directory.CreateTempSubdirectory("localcloud-web-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
    }

    Task<LocalCloudServer> StartAsync(bool runWebProcesses = true) => LocalCloudServer.StartAsync(new LocalCloudOptions
    {
        AccessKey = TestKeys.OperatorAccessKey,
        SecretKey = TestKeys.OperatorSecretKey,
        StateDirectory = _state,
        Delays = LifecycleDelays.Instant,
        RunDataStores = false,
        RunTasks = false,
        RunWebProcesses = runWebProcesses,
    });

    static AwsConnection Connect(LocalCloudServer server) => TestClouds.Connection(server.Url);

    static byte[] Bundle(string? procfile, string? healthCode = null, string? hostileEntry = null)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string text)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
            if (hostileEntry != null) Add(hostileEntry, "escaped");
            if (procfile != null) Add("Procfile", procfile);
            Add("app.py", healthCode == null ? Server : Server.Replace("os.environ.get(\"HEALTH_CODE\", \"200\")", $"\"{healthCode}\"", StringComparison.Ordinal));
        }
        return memory.ToArray();
    }

    /// <summary>Uploads <paramref name="bundle"/> to Beanstalk's storage bucket (when given) and registers it as version <paramref name="label"/>.</summary>
    static async Task VersionAsync(LocalCloudServer server, ElasticBeanstalkClient eb, string label, byte[]? bundle)
    {
        var bucket = (await eb.CreateStorageLocationAsync()).S3Bucket!;
        using var s3 = AwsConnectionFactory.CreateS3(Connect(server));
        try { await s3.PutBucketAsync(bucket); } catch (Amazon.S3.AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists") { }
        if (bundle != null) await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"{App}/{label}.zip", InputStream = new MemoryStream(bundle) });
        await eb.CreateApplicationVersionAsync(new CreateApplicationVersionMessage
        {
            ApplicationName = App,
            VersionLabel = label,
            SourceBundle = new Ops.Aws.ElasticBeanstalk.S3Location { S3Bucket = bucket, S3Key = $"{App}/{label}.zip" },
        });
    }

    static List<ConfigurationOptionSetting> Settings(string greeting) =>
    [
        new() { Namespace = "aws:elasticbeanstalk:application:environment", OptionName = "GREETING", Value = greeting },
        new() { Namespace = "aws:elasticbeanstalk:application", OptionName = "Application Healthcheck URL", Value = "/health" },
    ];

    /// <summary>Waits until the environment is Ready (a verdict on its version), then returns it.</summary>
    static async Task<EnvironmentDescription> ReadyAsync(ElasticBeanstalkClient eb)
    {
        for (var i = 0; i < 600; i++)
        {
            var env = (await eb.DescribeEnvironmentsAsync(new DescribeEnvironmentsMessage { EnvironmentNames = [Env],
                IncludeDeleted = false })).Environments!.Single();
            if (env.Status == "Ready" && env.Health != "Grey") return env;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Env} never became Ready with a health verdict");
    }

    static async Task<List<EventDescription>> EventsSinceAsync(ElasticBeanstalkClient eb, DateTimeOffset since) =>
        (await eb.DescribeEventsAsync(new DescribeEventsMessage { EnvironmentName = Env, StartTime = since })).Events!;

    static async Task<string> GetAsync(string cname, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync($"http://{cname}{path}");
    }

    static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_good_version_goes_Green_a_failing_health_check_Red_with_an_ERROR_and_the_previous_version_serves_again_on_the_same_port_after_restart()
    {
        string cname;
        await using (var server = await StartAsync())
        {
            Assert.Contains("Procfile web process", server.WebStatus, StringComparison.Ordinal);
            var eb = new ElasticBeanstalkClient(Connect(server));
            await eb.CreateApplicationAsync(new CreateApplicationMessage { ApplicationName = App });
            await VersionAsync(server, eb, "v1", Bundle("web: python3 app.py\n"));
            await VersionAsync(server, eb, "v2-unhealthy", Bundle("web: python3 app.py\n", healthCode: "500"));

            var created = DateTimeOffset.UtcNow.AddSeconds(-1);
            var launching = await eb.CreateEnvironmentAsync(new CreateEnvironmentMessage { ApplicationName = App, EnvironmentName = Env, VersionLabel = "v1",
                OptionSettings = Settings("from the stack") });
            Assert.Matches(@"^127\.0\.0\.1:\d+$", launching.CNAME);
            var env = await ReadyAsync(eb);
            Assert.Equal(("Green", "v1"), (env.Health, env.VersionLabel));
            cname = env.CNAME!;
            Assert.Equal("from the stack", await GetAsync(cname, "/"));
            Assert.Contains(await EventsSinceAsync(eb, created), e => e.Message == $"Successfully launched environment: {Env}");

            // The settings as the deploy reads them back, by the aws CLI.
            var settings = await AwsCli.Run(server.Url, "elasticbeanstalk", "describe-configuration-settings", "--application-name", App, "--environment-name", Env);
            var options = settings!["ConfigurationSettings"]![0]!["OptionSettings"]!.AsArray();
            Assert.Contains(options, o => (string?)o!["OptionName"] == "GREETING" && (string?)o["Value"] == "from the stack");

            var update = DateTimeOffset.UtcNow;
            await eb.UpdateEnvironmentAsync(new UpdateEnvironmentMessage { EnvironmentName = Env, VersionLabel = "v2-unhealthy" });
            env = await ReadyAsync(eb);
            Assert.Equal("Red", env.Health);
            var errors = (await EventsSinceAsync(eb, update)).Where(e => e.Severity == "ERROR").Select(e => e.Message).ToList();
            Assert.Contains(errors, m => m!.StartsWith("Health check failed: HTTP 500 from GET /health", StringComparison.Ordinal));
            Assert.Contains("Failed to deploy application.", errors);
            var health = await eb.DescribeEnvironmentHealthAsync(new DescribeEnvironmentHealthRequest { EnvironmentName = Env });
            Assert.Equal(("Severe", "Red"), (health.HealthStatus, health.Color));
            Assert.Contains(health.Causes!, c => c.Contains("HTTP 500", StringComparison.Ordinal));

            var rollback = DateTimeOffset.UtcNow;
            await eb.UpdateEnvironmentAsync(new UpdateEnvironmentMessage { EnvironmentName = Env, VersionLabel = "v1", OptionSettings = Settings("updated") });
            env = await ReadyAsync(eb);
            Assert.Equal(("Green", "v1", cname), (env.Health, env.VersionLabel, env.CNAME));
            Assert.Equal("updated", await GetAsync(cname, "/"));
            var since = await EventsSinceAsync(eb, rollback);
            Assert.Contains(since, e => e.Message == "Environment update completed successfully.");
            Assert.DoesNotContain(since, e => e.Severity == "ERROR");
        }
        var port = int.Parse(cname.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(await ListensAsync(port), "the web process still listens after the local cloud stopped");
        Assert.Contains("serving on", await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(_state, "elasticbeanstalk"), "web.log", SearchOption.AllDirectories).Single()));

        await using (var server = await StartAsync())
        {
            var eb = new ElasticBeanstalkClient(Connect(server));
            var env = await ReadyAsync(eb);
            Assert.Equal(("Green", cname), (env.Health, env.CNAME));
            Assert.Equal("updated", await GetAsync(cname, "/"));

            await eb.TerminateEnvironmentAsync(new TerminateEnvironmentMessage { EnvironmentName = Env });
            for (var i = 0; i < 200
                && (await eb.DescribeEnvironmentsAsync(new DescribeEnvironmentsMessage { EnvironmentNames = [Env] })).Environments!.Single().Status != "Terminated"; i++)
                await Task.Delay(100);
            Assert.Equal("Terminated", (await eb.DescribeEnvironmentsAsync(new DescribeEnvironmentsMessage { EnvironmentNames = [Env] })).Environments!.Single().Status);
            Assert.False(await ListensAsync(port), "the web process still listens after its environment terminated");
        }
    }

    [Fact]
    public async Task A_process_that_exits_a_bundle_without_a_Procfile_and_a_missing_bundle_each_go_Red_with_an_ERROR_naming_the_cause()
    {
        await using var server = await StartAsync();
        var eb = new ElasticBeanstalkClient(Connect(server));
        await eb.CreateApplicationAsync(new CreateApplicationMessage { ApplicationName = App });
        await VersionAsync(server, eb, "exits", Bundle("web: echo starting up; echo cannot bind >&2; exit 3\n"));
        await VersionAsync(server, eb, "no-procfile", Bundle(procfile: null));
        await VersionAsync(server, eb, "no-web-line", Bundle("worker: python3 app.py\n"));
        await VersionAsync(server, eb, "missing", bundle: null);
        await VersionAsync(server, eb, "climbs", Bundle("web: python3 app.py\n", hostileEntry: "../../escaped.txt"));

        var created = DateTimeOffset.UtcNow.AddSeconds(-1);
        await eb.CreateEnvironmentAsync(new CreateEnvironmentMessage { ApplicationName = App, EnvironmentName = Env, VersionLabel = "exits",
            OptionSettings = Settings("x") });
        Assert.Equal("Red", (await ReadyAsync(eb)).Health);
        var events = await EventsSinceAsync(eb, created);
        Assert.Contains(events, e => e.Severity == "ERROR" && e.Message == "Process web exited with code 3: cannot bind");
        Assert.Contains(events, e => e.Severity == "ERROR" && e.Message!.StartsWith("Create environment operation is complete, but with errors", StringComparison.Ordinal));

        foreach (var (label, expected) in new[]
        {
            ("no-procfile", "Version no-procfile has no Procfile at the root of its source bundle"),
            ("no-web-line", "The Procfile of version no-web-line has no 'web:' line"),
            ("missing", "Failed to download the source bundle"),
            ("climbs", "The source bundle s3://"),
        })
        {
            var update = DateTimeOffset.UtcNow;
            await eb.UpdateEnvironmentAsync(new UpdateEnvironmentMessage { EnvironmentName = Env, VersionLabel = label });
            Assert.Equal("Red", (await ReadyAsync(eb)).Health);
            var errors = (await EventsSinceAsync(eb, update)).Where(e => e.Severity == "ERROR").Select(e => e.Message!).ToList();
            Assert.Contains(errors, m => m.StartsWith(expected, StringComparison.Ordinal));
            Assert.Contains("Failed to deploy application.", errors);
            Assert.DoesNotContain(errors, m => m.Contains("IO_", StringComparison.Ordinal));
        }
        // The bundle's entry that climbs out of its folder was written nowhere.
        Assert.Empty(Directory.EnumerateFiles(_state, "escaped.txt", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_state)!, "escaped.txt")));
    }

    /// <summary>As on AWS: a version without a source bundle runs the sample application, and the environment is Green.</summary>
    [Fact]
    public async Task A_version_without_a_source_bundle_runs_the_sample_application_and_goes_Green()
    {
        await using var server = await StartAsync();
        var eb = new ElasticBeanstalkClient(Connect(server));
        await eb.CreateApplicationAsync(new CreateApplicationMessage { ApplicationName = App });
        await eb.CreateApplicationVersionAsync(new CreateApplicationVersionMessage { ApplicationName = App, VersionLabel = "sample" });
        await eb.CreateEnvironmentAsync(new CreateEnvironmentMessage { ApplicationName = App, EnvironmentName = Env, VersionLabel = "sample" });
        var env = await ReadyAsync(eb);
        Assert.Equal("Green", env.Health);
        Assert.Contains("Congratulations", await GetAsync(env.CNAME!, "/"));
    }

    /// <summary>With realistic delays a real environment answers TerminateEnvironment with Terminating and is Terminating before Terminated, as on
    /// AWS.</summary>
    [Fact]
    public async Task Terminating_a_real_environment_answers_Terminating_and_goes_Terminated_only_after_its_delay()
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            AccessKey = TestKeys.OperatorAccessKey,
            SecretKey = TestKeys.OperatorSecretKey,
            StateDirectory = _state,
            RunDataStores = false,
            RunTasks = false,
            Delays = LifecycleDelays.Instant with { Environment = TimeSpan.FromSeconds(2) },
        });
        var eb = new ElasticBeanstalkClient(Connect(server));
        await eb.CreateApplicationAsync(new CreateApplicationMessage { ApplicationName = App });
        await eb.CreateApplicationVersionAsync(new CreateApplicationVersionMessage { ApplicationName = App, VersionLabel = "sample" });
        await eb.CreateEnvironmentAsync(new CreateEnvironmentMessage { ApplicationName = App, EnvironmentName = Env, VersionLabel = "sample" });
        await ReadyAsync(eb);

        var answer = await eb.TerminateEnvironmentAsync(new TerminateEnvironmentMessage { EnvironmentName = Env });
        Assert.Equal("Terminating", answer.Status);
        var statuses = new List<string>();
        for (var i = 0; i < 100 && statuses.LastOrDefault() != "Terminated"; i++)
        {
            statuses.Add((await eb.DescribeEnvironmentsAsync(new DescribeEnvironmentsMessage { EnvironmentNames = [Env] })).Environments!.Single().Status!);
            await Task.Delay(100);
        }
        Assert.Equal("Terminating", statuses[0]);
        Assert.Equal("Terminated", statuses[^1]);
    }

    [Fact]
    public async Task Without_web_processes_an_environment_follows_the_clock_as_before()
    {
        await using var server = await StartAsync(runWebProcesses: false);
        Assert.Equal("web: simulated (not requested)", server.WebStatus);
        var eb = new ElasticBeanstalkClient(Connect(server));
        await eb.CreateApplicationAsync(new CreateApplicationMessage { ApplicationName = App });
        await VersionAsync(server, eb, "no-procfile", Bundle(procfile: null));
        await eb.CreateEnvironmentAsync(new CreateEnvironmentMessage { ApplicationName = App, EnvironmentName = Env, VersionLabel = "no-procfile" });
        var env = await ReadyAsync(eb);
        Assert.Equal("Green", env.Health);
        Assert.EndsWith(".local-cloud.internal", env.CNAME, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_state, "elasticbeanstalk")));
    }
}
