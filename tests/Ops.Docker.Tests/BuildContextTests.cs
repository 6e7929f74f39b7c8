using System.Formats.Tar;

namespace Ops.Docker.Tests;

/// <summary>The build context tar: reproducible bytes, .dockerignore honoured, the Dockerfile under its hidden name.</summary>
public sealed class BuildContextTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("ops-context-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    static async Task<byte[]> TarBytes(string context, string dockerfile)
    {
        await using var tar = await BuildContext.CreateAsync(context, dockerfile, CancellationToken.None);
        using var copy = new MemoryStream();
        await tar.CopyToAsync(copy);
        return copy.ToArray();
    }

    static async Task<List<(string Name, TarEntry Entry, string? Text)>> TarEntries(string context, string dockerfile)
    {
        await using var tar = await BuildContext.CreateAsync(context, dockerfile, CancellationToken.None);
        var reader = new TarReader(tar);
        var entries = new List<(string, TarEntry, string?)>();
        while (await reader.GetNextEntryAsync() is { } entry)
            entries.Add((entry.Name, entry, entry.DataStream is { } data ? await new StreamReader(data).ReadToEndAsync() : null));
        return entries;
    }

    [Fact]
    public async Task Identical_inputs_give_identical_bytes_whatever_the_files_times()
    {
        var a = Write("ctx/app/a.txt", "a");
        Write("ctx/b.txt", "b");
        var dockerfile = Write("Dockerfile", "FROM scratch\nCOPY . /\n");
        var first = await TarBytes(Path.Combine(_root, "ctx"), dockerfile);
        File.SetLastWriteTimeUtc(a, DateTime.UtcNow.AddDays(-3));
        await Task.Delay(1100); // a new second for any time the tar might record
        File.WriteAllText(a, "a");
        var second = await TarBytes(Path.Combine(_root, "ctx"), dockerfile);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Entries_have_fixed_owner_time_and_mode_and_the_dockerfile_its_hidden_name()
    {
        var tool = Write("ctx/tool.sh", "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tool, (UnixFileMode)0x1C0); // 0700: executable by its owner
        Write("ctx/data.txt", "d");
        var dockerfile = Write("elsewhere/Dockerfile.worker", "FROM scratch\n");
        var read = await TarEntries(Path.Combine(_root, "ctx"), dockerfile);
        var entries = read.ToDictionary(e => e.Name, e => e.Entry);
        Assert.Equal(["data.txt", "tool.sh", BuildContext.DockerfileName], entries.Keys);
        Assert.All(entries.Values, e =>
        {
            Assert.Equal(BuildContext.FixedTime, e.ModificationTime);
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
        });
        Assert.Equal((UnixFileMode)0x1A4, entries["data.txt"].Mode);
        Assert.Equal((UnixFileMode)0x1ED, entries["tool.sh"].Mode);
        Assert.Equal("FROM scratch\n", read.Single(e => e.Name == BuildContext.DockerfileName).Text);
    }

    [Fact]
    public async Task Dockerignore_leaves_files_out_of_the_tar()
    {
        Write("ctx/.dockerignore", "secret.txt\nlogs\n!logs/keep.log\n");
        Write("ctx/secret.txt", "s");
        Write("ctx/kept.txt", "k");
        Write("ctx/logs/a.log", "a");
        Write("ctx/logs/keep.log", "k");
        var dockerfile = Write("Dockerfile", "FROM scratch\n");
        var names = (await TarEntries(Path.Combine(_root, "ctx"), dockerfile)).Select(e => e.Name).ToList();
        Assert.Equal([".dockerignore", "kept.txt", "logs/keep.log", BuildContext.DockerfileName], names);
    }
}
