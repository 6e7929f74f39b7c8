namespace Ops.Docker.Tests;

/// <summary>.dockerignore matching as Docker does it: patterns, ** , exceptions, last match wins, directories.</summary>
public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("secret.txt", "secret.txt", true)]
    [InlineData("secret.txt", "sub/secret.txt", false)]          // patterns are anchored at the context root
    [InlineData("/secret.txt", "secret.txt", true)]              // a leading slash is the root
    [InlineData("*.log", "a.log", true)]
    [InlineData("*.log", "logs/a.log", false)]                   // * does not cross a slash
    [InlineData("**/*.log", "logs/deep/a.log", true)]
    [InlineData("**/*.log", "a.log", true)]                      // **/ matches zero directories too
    [InlineData("logs", "logs/deep/a.log", true)]                // a directory excludes everything under it
    [InlineData("logs/**", "logs/a.log", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", false)]
    [InlineData("[a-c].txt", "b.txt", true)]
    [InlineData("[!a-c].txt", "b.txt", false)]
    [InlineData("./build/../obj", "obj/x.dll", true)]            // paths are cleaned like Go's filepath.Clean
    [InlineData("# a comment", "# a comment", false)]
    public void A_single_pattern_matches_as_docker_does(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));

    [Fact]
    public void The_last_matching_line_wins_and_exceptions_bring_files_back()
    {
        var ignore = DockerIgnore.Parse("# keep only the app\n*\n!app\napp/*.pdb\n!app/keep.pdb\n");
        Assert.True(ignore.IsExcluded("README.md"));
        Assert.False(ignore.IsExcluded("app/Ops.Worker.dll"));
        Assert.True(ignore.IsExcluded("app/Ops.Worker.pdb"));
        Assert.False(ignore.IsExcluded("app/keep.pdb"));
        Assert.True(ignore.HasExceptions);
    }

    [Fact]
    public void A_malformed_pattern_names_its_line()
    {
        var e = Assert.Throws<FormatException>(() => DockerIgnore.Parse("ok\n[abc\n"));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("[abc", e.Message);
    }
}
