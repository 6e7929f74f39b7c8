using Amazon.Runtime;
using Ops.Aws;
using Ops.Aws.Ecr;
using Ops.LocalCloud;
using Ops.Docker;
using Ops.Stack.Images;
using Ops.Stack.Model;

namespace Ops.Stack.Tests;

/// <summary>build-docker's work end to end: a git checkout, the engine, LocalCloud's ECR, a real registry.</summary>
[Collection(RegistryCollection.Name)]
public sealed class ImagePublisherTests(RegistryFixture registry) : IAsyncLifetime
{
    readonly string _repo = Directory.CreateTempSubdirectory("ops-publish-").FullName;
    readonly string _name = $"ops-publish-{Guid.NewGuid():N}"[..24];
    LocalCloudServer _cloud = null!;
    AwsConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            AccessKey = TestKeys.OperatorAccessKey,
            SecretKey = TestKeys.OperatorSecretKey,
            Delays = LifecycleDelays.Instant,
            Backends = new LocalBackends { Registry = new FixedRegistry(registry.Host) },
        });
        _connection = TestClouds.Connection(_cloud.Url, 1);
        await Write("workers/.dockerignore", "scratch/\n");
        await Write("workers/app.txt", $"app {Guid.NewGuid()}\n");
        await Write("workers/Dockerfile", "FROM scratch\nARG FLAVOUR\nCOPY app.txt prepared.txt /\n");
        await Write(".gitignore", "workers/prepared.txt\n");
        await Git("init", "-q");
        await Git("add", ".");
        await Git("commit", "-q", "-m", "worker");
    }

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        Directory.Delete(_repo, recursive: true);
    }

    Task Write(string relative, string text)
    {
        var path = Path.Combine(_repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return File.WriteAllTextAsync(path, text);
    }

    async Task Git(params string[] args)
    {
        var (code, _, error) = await ChildProcess.Run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", .. args], _repo);
        Assert.True(code == 0, error);
    }

    StageStack Stack() => StackDefaults.For("dev") with
    {
        Repository = new RepositorySpec { Name = _name },
        Image = new ImageSpec
        {
            Context = "workers",
            Dockerfile = "workers/Dockerfile",
            BuildArgs = new Dictionary<string, string> { ["FLAVOUR"] = "test" },
            Prepare = ["sh", "-c", "echo prepared > workers/prepared.txt && echo prepare ran"],
        },
    };

    Task CreateRepository(string mutability = "IMMUTABLE") =>
        new EcrClient(_connection).CreateRepositoryAsync(new CreateRepositoryRequest { RepositoryName = _name, ImageTagMutability = mutability });

    Task<PublishedImage?> Publish(CapturedLog log, StageStack? stack = null, bool dryRun = false) =>
        new ImagePublisher(_connection, log).PublishAsync(stack ?? Stack(), _repo, registry.Environment, dryRun, CancellationToken.None);

    /// <summary>
    /// Test seam until LocalCloud's ECR reads its registry: record the pushed manifest in ECR, as ECR does on every push.
    /// A no-op once ECR already knows the tag.
    /// </summary>
    async Task RecordInEcr(string tag)
    {
        var ecr = new EcrClient(_connection);
        try
        {
            await ecr.DescribeImagesAsync(new DescribeImagesRequest { RepositoryName = _name, ImageIds = [new ImageIdentifier { ImageTag = tag }] });
            return;
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "ImageNotFoundException")
        {
        }
        var (manifest, mediaType) = await registry.Manifest(_name, tag);
        await ecr.PutImageAsync(new PutImageRequest { RepositoryName = _name, ImageTag = tag, ImageManifest = manifest, ImageManifestMediaType = mediaType });
    }

    [Fact]
    public async Task Publishes_under_the_commit_and_a_second_run_uploads_nothing_and_says_so()
    {
        await CreateRepository();
        var log = new CapturedLog();
        var published = await Publish(log);

        Assert.NotNull(published);
        var sha = await ImageTag.ForWorkingTreeAsync(_repo, CancellationToken.None);
        Assert.Equal(sha, published.Tag);
        Assert.DoesNotContain("-dirty-", sha); // the prepare step's output is ignored by git, so the tree stays clean
        Assert.Equal($"{registry.Host}/{_name}", published.RepositoryUri);
        Assert.Equal(await registry.ManifestDigest(_name, sha), published.Digest);
        Assert.Contains(log.Lines, l => l.StartsWith("engine   ") && l.Contains(" at "));
        Assert.Contains(log.Lines, l => l == "  prepare ran");
        Assert.Contains(log.Lines, l => l.Contains("COPY app.txt prepared.txt /"));
        Assert.Contains($"pushed   {published.Reference}", log.Text);
        Assert.Empty(log.Secrets);   // an image build handles no secret, so it asks for none to be hidden

        await RecordInEcr(sha);
        var before = registry.AccessLog().Length;
        var again = new CapturedLog();
        var second = await Publish(again);
        var requests = registry.AccessLog().Skip(before).ToList();
        Assert.Equal(0, RegistryFixture.BlobUploads(requests));
        Assert.DoesNotContain(requests, l => l.Contains("\"PUT "));
        Assert.Contains($"already pushed, no layer uploaded: {published.Reference}", again.Text);
        Assert.Equal(published with { AlreadyPushed = true }, second);
    }

    [Fact]
    public async Task A_tag_ECR_already_holds_is_not_rebuilt_even_where_a_rebuild_would_differ()
    {
        await CreateRepository();
        var first = await Publish(new CapturedLog());
        var sha = await ImageTag.ForWorkingTreeAsync(_repo, CancellationToken.None);
        await RecordInEcr(sha);

        // Same commit on another machine: the prepare step's output (not in git) differs, so a rebuild would give another
        // image. The tag names this tree and is immutable, so the image ECR holds is the answer: nothing runs, nothing is pushed.
        var stack = Stack() with { Image = Stack().Image with { Prepare = ["sh", "-c", "echo prepare ran again; echo other > workers/prepared.txt"] } };
        var before = registry.AccessLog().Length;
        var log = new CapturedLog();
        var again = await Publish(log, stack);
        Assert.Equal(first! with { AlreadyPushed = true }, again);
        Assert.DoesNotContain(log.Lines, l => l.Contains("prepare ran again"));
        Assert.DoesNotContain(log.Lines, l => l.StartsWith("building"));
        Assert.DoesNotContain(registry.AccessLog().Skip(before), l => l.Contains("\"PUT "));
    }

    [Fact]
    public async Task A_broken_dockerfile_reaches_the_user_with_the_builds_error_line()
    {
        await CreateRepository();
        await Write("workers/Dockerfile", "FROM scratch\nCOPY does-not-exist.txt /\n");
        var e = await Assert.ThrowsAsync<ImagePublishException>(() => Publish(new CapturedLog()));
        Assert.Contains("the image build failed", e.Message);
        Assert.Contains("does-not-exist.txt", e.Message);
    }

    [Fact]
    public async Task A_missing_repository_is_a_user_error_before_anything_is_built()
    {
        var log = new CapturedLog();
        var e = await Assert.ThrowsAsync<StackException>(() => Publish(log));
        Assert.Contains($"ECR repository '{_name}' does not exist", e.Message);
        Assert.Contains("create-ecr-repository", e.Message);
        Assert.DoesNotContain(log.Lines, l => l.Contains("prepare"));
    }

    [Fact]
    public async Task A_failing_prepare_command_stops_before_the_build()
    {
        await CreateRepository();
        var stack = Stack() with { Image = Stack().Image with { Prepare = ["sh", "-c", "echo compiling; exit 3"] } };
        var log = new CapturedLog();
        var e = await Assert.ThrowsAsync<ImagePublishException>(() => Publish(log, stack));
        Assert.Contains("exited with 3", e.Message);
        Assert.Contains("  compiling", log.Lines);
        Assert.DoesNotContain(log.Lines, l => l.StartsWith("building"));
    }

    [Fact]
    public async Task Dry_run_says_what_it_would_build_and_push_and_builds_nothing()
    {
        await CreateRepository();
        var log = new CapturedLog();
        var before = registry.AccessLog().Length;
        Assert.Null(await Publish(log, dryRun: true));
        Assert.Contains(log.Lines, l => l.StartsWith("would build workers with workers/Dockerfile with build args FLAVOUR"));
        Assert.Contains(log.Lines, l => l.StartsWith($"would push {registry.Host}/{_name}:"));
        Assert.False(File.Exists(Path.Combine(_repo, "workers", "prepared.txt")));
        Assert.Empty(registry.AccessLog().Skip(before));
    }
}
