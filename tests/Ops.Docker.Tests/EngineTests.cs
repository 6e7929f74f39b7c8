namespace Ops.Docker.Tests;

/// <summary>Build and push through the real engine (podman in CI) to a real docker-registry.</summary>
[Collection(RegistryCollection.Name)]
public sealed class EngineTests(RegistryFixture registry) : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("ops-engine-").FullName;
    readonly List<string> _output = [];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    async Task<string> Build(DockerEngine engine, string dockerfileText, string tag)
    {
        var dockerfile = Write("Dockerfile", dockerfileText);
        return await engine.BuildAsync(new ImageBuildRequest(Path.Combine(_root, "ctx"), dockerfile, tag), _output.Add, CancellationToken.None);
    }

    [Fact]
    public async Task A_pushed_image_has_the_registrys_digest_and_a_second_push_uploads_no_blob()
    {
        using var engine = await DockerEngine.LocateAsync(registry.Environment, CancellationToken.None);
        Write("ctx/hello.txt", $"hello {Guid.NewGuid()}\n");
        var repository = $"{registry.Host}/ops-test/pushed";
        var id = await Build(engine, "FROM scratch\nCOPY hello.txt /\n", $"{repository}:t1");
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        Assert.Contains(_output, l => l.Contains("COPY hello.txt /"));

        var auth = new RegistryAuth(registry.Host, "AWS", "not-checked-by-this-registry");
        var before = registry.AccessLog().Length;
        var first = await engine.PushAsync(repository, "t1", auth, _output.Add, CancellationToken.None);
        Assert.Equal(await registry.ManifestDigest("ops-test/pushed", "t1"), first.Digest);
        Assert.True(RegistryFixture.BlobUploads(registry.AccessLog().Skip(before)) >= 2, "the first push uploads the layer and the config");

        before = registry.AccessLog().Length;
        var second = await engine.PushAsync(repository, "t1", auth, _output.Add, CancellationToken.None);
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(0, RegistryFixture.BlobUploads(registry.AccessLog().Skip(before)));
    }

    [Fact]
    public async Task A_broken_dockerfile_fails_with_the_builds_own_error_line()
    {
        using var engine = await DockerEngine.LocateAsync(registry.Environment, CancellationToken.None);
        Write("ctx/present.txt", "x");
        var e = await Assert.ThrowsAsync<ImageBuildException>(() => Build(engine, "FROM scratch\nCOPY missing.txt /\n", $"{registry.Host}/ops-test/broken:t"));
        Assert.StartsWith("the image build failed: ", e.Message);
        Assert.Contains("missing.txt", e.Message);
    }

    [Fact]
    public async Task Dockerignore_keeps_a_file_out_of_a_real_build()
    {
        using var engine = await DockerEngine.LocateAsync(registry.Environment, CancellationToken.None);
        Write("ctx/.dockerignore", "secret.txt\n");
        Write("ctx/secret.txt", "password");
        Write("ctx/kept.txt", "kept");
        await Build(engine, "FROM scratch\nCOPY kept.txt /\n", $"{registry.Host}/ops-test/ignore:kept");
        var e = await Assert.ThrowsAsync<ImageBuildException>(() => Build(engine, "FROM scratch\nCOPY secret.txt /\n", $"{registry.Host}/ops-test/ignore:secret"));
        Assert.Contains("secret.txt", e.Message);
    }
}
