namespace Ops.Targets.Tests;

/// <summary>build.sh on a copy of the repository: the first run builds, a warm run only runs, a change rebuilds.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildScriptTests(BuildScriptCopy copy) : IClassFixture<BuildScriptCopy>
{
    Task<(int Code, string Out, string Err)> BuildSh(params string[] args) => copy.BuildSh(args);

    /// <summary>No dotnet on PATH and no network (a curl that cannot connect): one line saying what to install, exit 1.</summary>
    [Fact]
    public async Task Without_dotnet_or_network_it_says_what_to_install_instead_of_a_bare_curl_error()
    {
        // A fresh checkout of its own: the shared copy is built, and its warm path would run the recorded dotnet.
        var fresh = Directory.CreateTempSubdirectory("ops-buildsh-fresh-").FullName;
        foreach (var file in new[] { "build.sh", "global.json" }) File.Copy(Path.Combine(RepositoryRoot.Path, file), Path.Combine(fresh, file));
        var bin = Path.Combine(fresh, "no-dotnet-bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "bash", "sh", "sed", "head", "mkdir", "find", "sort", "tr", "xargs", "cksum", "dirname", "chmod", "cat", "rm" })
            if (new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists) is { } real)
                File.CreateSymbolicLink(Path.Combine(bin, tool), real);
        File.WriteAllText(Path.Combine(bin, "curl"), "#!/bin/sh\necho 'curl: (6) Could not resolve host: dot.net' >&2\nexit 6\n");
        File.SetUnixFileMode(Path.Combine(bin, "curl"), (UnixFileMode)0b111_101_101);

        var (code, _, err) = await ChildProcess.Run(Path.Combine(bin, "bash"), ["build.sh", "--help"], fresh, new Dictionary<string, string> { ["PATH"] = bin });
        Directory.Delete(fresh, recursive: true);
        Assert.Equal(1, code);
        Assert.Contains("error: no dotnet on PATH, and its installer could not be downloaded from https://dot.net/v1/dotnet-install.sh (no network?)", err);
        Assert.Contains("Install the .NET SDK", err);
        Assert.DoesNotContain("curl: (6)", err);
    }

    [Fact]
    public async Task First_run_builds_warm_run_does_not_and_a_change_rebuilds()
    {
        var first = copy.First;
        Assert.True(first.Code == 0, first.Out + first.Err);
        Assert.Contains("Building the build project", first.Err);
        Assert.DoesNotContain("Build succeeded", first.Out + first.Err);   // MSBuild's summary only when the build fails
        Assert.DoesNotContain("Warning(s)", first.Out + first.Err);
        Assert.Equal("Building the build project (its inputs changed since the last build)...", first.Err.Trim());
        Assert.Contains("Usage: ./build.sh", first.Out);
        Assert.Contains(first.Calls, c => c.StartsWith("build ", StringComparison.Ordinal));

        File.Delete(copy.CallLog);
        var warm = await BuildSh("--help");
        Assert.Equal(0, warm.Code);
        Assert.DoesNotContain("Building", warm.Err);
        var call = Assert.Single(copy.Calls());
        Assert.EndsWith("_build.dll --help", call);

        // Same content, new timestamp: still warm. New content: rebuild.
        var source = Path.Combine(copy.Path, "build", "Build.cs");
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddMinutes(5));
        Assert.DoesNotContain("Building", (await BuildSh("--help")).Err);
        File.AppendAllText(source, "\n// changed\n");
        var changed = await BuildSh("nosuch-target");
        Assert.Contains("Building the build project", changed.Err);
        Assert.Equal(2, changed.Code); // the build's own exit code comes back through the script
        Assert.Contains("Target 'nosuch-target' does not exist", changed.Err);
    }

    [Fact]
    public async Task A_compile_error_fails_the_script_and_the_next_run_tries_again()
    {
        File.AppendAllText(Path.Combine(copy.Path, "build", "Build.cs"), "\nthis does not compile\n");
        var broken = await BuildSh("--help");
        Assert.NotEqual(0, broken.Code);
        Assert.Contains("error CS", broken.Err);
        Assert.Contains("Build FAILED", broken.Err);                           // the whole MSBuild output on failure
        Assert.Contains("error: building the build project failed", broken.Err);
        Assert.DoesNotContain("Usage:", broken.Out);

        File.WriteAllLines(Path.Combine(copy.Path, "build", "Build.cs"),
            File.ReadAllLines(Path.Combine(copy.Path, "build", "Build.cs")).Where(l => l != "this does not compile"));
        var repaired = await BuildSh("--help");
        Assert.True(repaired.Code == 0, repaired.Out + repaired.Err);
        Assert.Contains("Building the build project", repaired.Err);
    }
}
