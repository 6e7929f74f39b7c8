using System.Formats.Tar;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Ops.LocalCloud.Registry;
using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Tests;

/// <summary>ECR backed by a real docker-registry, and images pulled from it and unpacked for tasks.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RegistryTests : IAsyncLifetime
{
    readonly string _state = Path.Combine(Path.GetTempPath(), "ops-registry-" + Guid.NewGuid().ToString("N")[..12]);
    readonly List<LocalCloudServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }

    async Task<LocalCloudServer> StartAsync(int? port = null)
    {
        var server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            AccessKey = TestKeys.OperatorAccessKey,
            SecretKey = TestKeys.OperatorSecretKey,
            StateDirectory = _state,
            Delays = LifecycleDelays.Instant,
            RunRegistry = true,
            RegistryPort = port ?? LoopbackPort.Free(),
        });
        _servers.Add(server);
        Assert.StartsWith("registry: docker-registry at 127.0.0.1:", server.RegistryStatus); // fails when docker-registry is not installed (tests/run.sh installs it)
        return server;
    }

    static DockerRegistryProcess Registry(LocalCloudServer server) => (DockerRegistryProcess)server.Backends.Registry!;

    static Uri RegistryUrl(LocalCloudServer server) => new($"http://{Registry(server).Host}");

    static int RegistryPid(string state) => int.Parse(File.ReadAllText(Path.Combine(state, "registry.pid")));

    static bool Running(int pid) => File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Length > 0;

    static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    static Task<(string Digest, long Size)> PushSmallAsync(LocalCloudServer server, string repository, string tag, string content) =>
        RegistryPush.PushAsync(RegistryUrl(server), repository, tag, RegistryPush.Config(["/app/run.sh"], [], [], "/app"),
            RegistryPush.Layer(t => t.File("app/run.sh", content, (UnixFileMode)0x1ED)));

    [Fact]
    public async Task Aws_cli_sees_an_image_pushed_to_the_registry_with_its_digest_and_ecr_points_at_the_registry()
    {
        var server = await StartAsync();
        var host = Registry(server).Host;
        using (var http = new HttpClient())
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(RegistryUrl(server) + "v2/")).StatusCode);

        var created = await AwsCli.Run(server.Url, "ecr", "create-repository", "--repository-name", "iotile-cloud-server");
        Assert.Equal($"{host}/iotile-cloud-server", (string?)created!["repository"]!["repositoryUri"]);
        var (digest, size) = await PushSmallAsync(server, "iotile-cloud-server", "abc", "#!/bin/sh\necho hi\n");

        var images = await AwsCli.Run(server.Url, "ecr", "describe-images", "--repository-name", "iotile-cloud-server");
        var image = Assert.Single(images!["imageDetails"]!.AsArray())!;
        Assert.Equal(digest, (string?)image["imageDigest"]);
        Assert.Equal(["abc"], image["imageTags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(size, (long)image["imageSizeInBytes"]!);

        var token = await AwsCli.Run(server.Url, "ecr", "get-authorization-token");
        var data = token!["authorizationData"]![0]!;
        Assert.Equal($"http://{host}", (string?)data["proxyEndpoint"]);
        Assert.StartsWith("AWS:", Encoding.UTF8.GetString(Convert.FromBase64String((string)data["authorizationToken"]!)));

        // A second tag on the same image, then deleting one tag keeps the image under the other.
        var (same, _) = await PushSmallAsync(server, "iotile-cloud-server", "latest", "#!/bin/sh\necho hi\n");
        Assert.Equal(digest, same);
        await AwsCli.Run(server.Url, "ecr", "batch-delete-image", "--repository-name", "iotile-cloud-server", "--image-ids", "imageTag=abc");
        var listed = await AwsCli.Run(server.Url, "ecr", "list-images", "--repository-name", "iotile-cloud-server");
        var id = Assert.Single(listed!["imageIds"]!.AsArray())!;
        Assert.Equal(("latest", digest), ((string?)id["imageTag"], (string?)id["imageDigest"]));
        using (var http = new HttpClient())
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(RegistryUrl(server) + "v2/iotile-cloud-server/manifests/abc")).StatusCode);
    }

    [Fact]
    public async Task Delete_repository_with_force_deletes_its_manifests_in_the_registry()
    {
        var server = await StartAsync();
        await AwsCli.Run(server.Url, "ecr", "create-repository", "--repository-name", "workers");
        var (digest, _) = await PushSmallAsync(server, "workers", "v1", "one");

        var (code, _, error) = await AwsCli.Try(server.Url, "ecr", "delete-repository", "--repository-name", "workers");
        Assert.NotEqual(0, code);
        Assert.Contains("RepositoryNotEmptyException", error);
        await AwsCli.Run(server.Url, "ecr", "delete-repository", "--repository-name", "workers", "--force");

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(RegistryUrl(server) + $"v2/workers/manifests/{digest}")).StatusCode);
    }

    [Fact]
    public async Task An_immutable_tag_pushed_over_is_put_back_on_its_first_image()
    {
        var server = await StartAsync();
        await AwsCli.Run(server.Url, "ecr", "create-repository", "--repository-name", "fixed", "--image-tag-mutability", "IMMUTABLE");
        var (first, _) = await PushSmallAsync(server, "fixed", "v1", "one");
        await AwsCli.Run(server.Url, "ecr", "describe-images", "--repository-name", "fixed"); // ECR sees v1 → first
        await PushSmallAsync(server, "fixed", "v1", "two"); // the registry cannot refuse this

        var images = await AwsCli.Run(server.Url, "ecr", "describe-images", "--repository-name", "fixed", "--image-ids", "imageTag=v1");
        Assert.Equal(first, (string?)images!["imageDetails"]![0]!["imageDigest"]);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, RegistryUrl(server) + "v2/fixed/manifests/v1");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        Assert.Equal(first, (await http.SendAsync(request)).Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task Image_source_unpacks_each_digest_once_with_whiteouts_and_links_applied()
    {
        var server = await StartAsync();
        var lower = RegistryPush.Layer(t =>
        {
            t.Entry(TarEntryType.Directory, "app/");
            t.File("app/run.sh", "#!/bin/sh\necho hi\n", (UnixFileMode)0x1ED);
            t.File("app/old.txt", "old");
            t.Entry(TarEntryType.Directory, "data/");
            t.File("data/a", "a");
            t.File("data/b", "b");
            t.Entry(TarEntryType.SymbolicLink, "bin", "/app");
            t.Entry(TarEntryType.HardLink, "app/again.sh", "app/run.sh");
        });
        var upper = RegistryPush.Layer(t =>
        {
            t.File("data/c", "c");
            t.File("app/.wh.old.txt", "");
            t.File("data/.wh..wh..opq", "");
            t.Entry(TarEntryType.SymbolicLink, "app/link", "run.sh");
            t.File("bin/through-link.txt", "via the link");
        });
        var config = RegistryPush.Config(["/app/run.sh"], ["--once"], ["A=1", "PATH=/app:/bin"], "/app");
        var (digest, _) = await RegistryPush.PushAsync(RegistryUrl(server), "worker", "v1", config, lower, upper);
        var images = server.Backends.Images!;
        var image = $"{Registry(server).Host}/worker:v1";

        var pulls = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => images.PullAsync(image, CancellationToken.None)));
        var root = pulls[0].RootDirectory;
        Assert.All(pulls, p => Assert.Equal(root, p.RootDirectory));
        Assert.Equal(digest, pulls[0].Digest);
        Assert.Equal(["/app/run.sh"], pulls[0].Entrypoint);
        Assert.Equal(["--once"], pulls[0].Command);
        Assert.Equal("1", pulls[0].Environment["A"]);
        Assert.Equal("/app", pulls[0].WorkingDirectory);

        Assert.Equal("#!/bin/sh\necho hi\n", File.ReadAllText(Path.Combine(root, "app/run.sh")));
        Assert.True((File.GetUnixFileMode(Path.Combine(root, "app/run.sh")) & UnixFileMode.UserExecute) != 0);
        Assert.False(File.Exists(Path.Combine(root, "app/old.txt")));
        Assert.Equal(["c"], Directory.GetFileSystemEntries(Path.Combine(root, "data")).Select(Path.GetFileName));
        Assert.Equal("app", new FileInfo(Path.Combine(root, "bin")).LinkTarget); // "/app" made relative to the root
        Assert.Equal("via the link", File.ReadAllText(Path.Combine(root, "app/through-link.txt")));
        Assert.Equal("run.sh", new FileInfo(Path.Combine(root, "app/link")).LinkTarget);
        Assert.Equal("#!/bin/sh\necho hi\n", File.ReadAllText(Path.Combine(root, "app/again.sh")));
        Assert.StartsWith(Path.Combine(_state, "images"), root);

        int BlobGets() => File.ReadLines(Registry(server).LogPath).Count(line => line.Contains("\"GET /v2/worker/blobs/", StringComparison.Ordinal));
        Assert.Equal(3, BlobGets()); // config and two layers, once for three concurrent pulls
        var again = await images.PullAsync($"{Registry(server).Host}/worker@{digest}", CancellationToken.None);
        Assert.Equal(root, again.RootDirectory);
        Assert.Equal(3, BlobGets());
    }

    [Theory]
    [InlineData("../escaped.txt", null)]
    [InlineData("app/../../escaped.txt", null)]
    [InlineData("link", "../../../../../../../../etc")]
    [InlineData("abs", "/../../../../../../../../etc")]
    public async Task Entries_escaping_the_root_are_refused_and_leave_no_half_unpacked_image(string name, string? linkTarget)
    {
        var server = await StartAsync();
        var layer = RegistryPush.Layer(t =>
        {
            t.File("app/ok.txt", "fine");
            if (linkTarget == null) t.File(name, "outside");
            else t.Entry(TarEntryType.SymbolicLink, name, linkTarget);
        });
        await RegistryPush.PushAsync(RegistryUrl(server), "bad", "v1", RegistryPush.Config([], ["true"], [], "/"), layer);

        var error = await Assert.ThrowsAsync<ImagePullException>(() => server.Backends.Images!.PullAsync($"{Registry(server).Host}/bad:v1", CancellationToken.None));
        Assert.StartsWith("CannotPullContainerError: layer sha256:", error.Message);
        Assert.Contains("escapes the image root", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_state, "images")));
        Assert.False(File.Exists(Path.Combine(_state, "escaped.txt")));
    }

    [Fact]
    public async Task Unknown_tags_and_other_registries_fail_with_the_reason_ecs_gives()
    {
        var server = await StartAsync();
        var host = Registry(server).Host;
        await PushSmallAsync(server, "known", "v1", "x");
        var images = server.Backends.Images!;

        var unknown = await Assert.ThrowsAsync<ImagePullException>(() => images.PullAsync($"{host}/known:nope", CancellationToken.None));
        Assert.Equal($"CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref {host}/known:nope: {host}/known:nope: not found", unknown.Message);

        var foreign = await Assert.ThrowsAsync<ImagePullException>(() => images.PullAsync("123456789012.dkr.ecr.us-east-1.amazonaws.com/known:v1", CancellationToken.None));
        Assert.StartsWith("CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/known:v1: ", foreign.Message);
        Assert.Contains($"only the local cloud's registry at {host} is reachable", foreign.Message);
    }

    [Fact]
    public async Task Dispose_stops_the_registry()
    {
        var server = await StartAsync();
        var port = Registry(server).Port;
        var pid = RegistryPid(_state);
        Assert.True(Running(pid));

        await server.DisposeAsync();
        _servers.Remove(server);
        Assert.False(Running(pid));
        Assert.False(Answers(port));
        Assert.False(File.Exists(Path.Combine(_state, "registry.pid")));
    }

    [Fact]
    public async Task A_registry_left_behind_on_the_state_directory_is_stopped_at_the_next_start()
    {
        var port = LoopbackPort.Free();
        await StartAsync(port); // stands for a local cloud killed with -9: its registry still runs, its pid file stays
        var leftover = RegistryPid(_state);

        var next = await StartAsync(port);
        Assert.False(Running(leftover));
        Assert.NotEqual(leftover, RegistryPid(_state));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(RegistryUrl(next) + "v2/")).StatusCode);
    }

    [Fact]
    public async Task A_registry_port_taken_by_another_program_is_a_clear_error()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() => LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            AccessKey = TestKeys.OperatorAccessKey,
            SecretKey = TestKeys.OperatorSecretKey,
            StateDirectory = _state,
            RunRegistry = true,
            RegistryPort = port,
        }));
        Assert.Contains($"Port {port} on 127.0.0.1 is in use", error.Message);
        Assert.Contains("RegistryPort", error.Message);
    }

    /// <summary>
    /// Two checkouts side by side, with no flag: each state directory keeps the port its registry was first given, and
    /// one that finds 5100 taken (here by the first, or by anything) takes another and keeps it across restarts.
    /// </summary>
    [Fact]
    public async Task Each_state_directory_keeps_its_own_registry_port_so_two_run_side_by_side()
    {
        var second = _state + "-second";
        try
        {
            LocalCloudOptions Options(string state) => new()
            {
                AccessKey = TestKeys.OperatorAccessKey,
                SecretKey = TestKeys.OperatorSecretKey,
                StateDirectory = state,
                Delays = LifecycleDelays.Instant,
                RunRegistry = true,
                RunDataStores = false,
            };
            int firstPort;
            await using (var a = await LocalCloudServer.StartAsync(Options(_state)))
            {
                Assert.StartsWith("registry: docker-registry at 127.0.0.1:", a.RegistryStatus);
                firstPort = Registry(a).Port;
                await using var b = await LocalCloudServer.StartAsync(Options(second));
                Assert.StartsWith("registry: docker-registry at 127.0.0.1:", b.RegistryStatus);
                Assert.NotEqual(firstPort, Registry(b).Port);
                Assert.True(Answers(firstPort) && Answers(Registry(b).Port));
                Assert.Equal(Registry(b).Port.ToString(), File.ReadAllText(Path.Combine(second, "registry.port")));
            }
            await using (var again = await LocalCloudServer.StartAsync(Options(_state)))
                Assert.Equal(firstPort, Registry(again).Port);
        }
        finally
        {
            if (Directory.Exists(second)) Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_registry_ecr_stays_bookkeeping_and_says_why()
    {
        await using var server = await LocalCloudServer.StartAsync(TestClouds.Options() with { RunRegistry = true });
        Assert.Equal("registry: none (it needs a state directory for its storage)", server.RegistryStatus);
        Assert.Null(server.Backends.Images);
        var created = await AwsCli.Run(server.Url, "ecr", "create-repository", "--repository-name", "plain");
        Assert.Equal("123456789012.dkr.ecr.us-east-1.amazonaws.com/plain", (string?)created!["repository"]!["repositoryUri"]);
    }

    [Theory]
    [InlineData("127.0.0.1:5100/iotile/worker:abc", "127.0.0.1:5100", "iotile/worker", "abc", null)]
    [InlineData("127.0.0.1:5100/worker@sha256:00ff", "127.0.0.1:5100", "worker", null, "sha256:00ff")]
    [InlineData("localhost:5100/worker", "localhost:5100", "worker", null, null)]
    [InlineData("busybox:1.36", "docker.io", "library/busybox", "1.36", null)]
    [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com/w:1", "123456789012.dkr.ecr.us-east-1.amazonaws.com", "w", "1", null)]
    public void Image_references_split_as_docker_reads_them(string image, string host, string repository, string? tag, string? digest) =>
        Assert.Equal(new ImageReference(host, repository, tag, digest), ImageReference.Parse(image));
}
