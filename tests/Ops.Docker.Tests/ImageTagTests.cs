namespace Ops.Docker.Tests;

/// <summary>ImageTag against a real git repository in a temporary directory.</summary>
public sealed class ImageTagTests : IDisposable
{
    readonly string _repo = Directory.CreateTempSubdirectory("ops-tag-").FullName;

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    async Task<string> Git(params string[] args)
    {
        var (code, output, error) = await ChildProcess.Run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", .. args], _repo);
        Assert.True(code == 0, $"git {string.Join(' ', args)}: {error}");
        return output.Trim();
    }

    async Task<string> Committed()
    {
        await Git("init", "-q");
        File.WriteAllText(Path.Combine(_repo, "a.txt"), "one\n");
        await Git("add", "a.txt");
        await Git("commit", "-q", "-m", "first");
        return await Git("rev-parse", "HEAD");
    }

    static Task<string> Tag(string repo) => ImageTag.ForWorkingTreeAsync(repo, CancellationToken.None);

    [Fact]
    public async Task A_clean_tree_is_tagged_with_the_commit_sha()
    {
        var sha = await Committed();
        Assert.Equal(sha, await Tag(_repo));
    }

    [Fact]
    public async Task A_dirty_tree_gets_the_sha_plus_a_hash_of_its_changes()
    {
        var sha = await Committed();
        File.WriteAllText(Path.Combine(_repo, "a.txt"), "two\n");
        var modified = await Tag(_repo);
        Assert.Matches($"^{sha}-dirty-[0-9a-f]{{12}}$", modified);
        Assert.Equal(modified, await Tag(_repo)); // the same changes, the same tag

        File.WriteAllText(Path.Combine(_repo, "a.txt"), "three\n");
        Assert.NotEqual(modified, await Tag(_repo)); // other changes, another tag

        File.WriteAllText(Path.Combine(_repo, "a.txt"), "one\n");
        File.WriteAllText(Path.Combine(_repo, "new.txt"), "x");
        var untracked = await Tag(_repo);
        Assert.StartsWith($"{sha}-dirty-", untracked);
        File.WriteAllText(Path.Combine(_repo, "new.txt"), "y");
        Assert.NotEqual(untracked, await Tag(_repo)); // an untracked file's content counts

        File.Delete(Path.Combine(_repo, "new.txt"));
        Assert.Equal(sha, await Tag(_repo));
    }

    [Fact]
    public async Task A_directory_that_is_not_a_checkout_is_a_clear_error()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Tag(_repo));
        Assert.Contains(_repo, e.Message);
        Assert.Contains("not a git checkout", e.Message);
    }
}
