namespace Ops.Targets.Tests;

/// <summary>
/// A copy of the repository's build inputs (build.sh, build/, src/, the props) with a dotnet on PATH that logs each call,
/// shared by <see cref="BuildScriptTests"/>: its first run of build.sh, a cold build of the build project and every src/
/// project it uses, happens once here (kept in <see cref="First"/>), and each test starts from the built copy.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildScriptCopy : IAsyncLifetime
{
    readonly Dictionary<string, string> _env;

    public BuildScriptCopy()
    {
        var repo = RepositoryRoot.Path;
        foreach (var file in new[] { "build.sh", "global.json", "Directory.Build.props", "Directory.Packages.props", ".nuke/parameters.json" })
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.Combine(Path, file))!);
            File.Copy(System.IO.Path.Combine(repo, file), System.IO.Path.Combine(Path, file));
        }
        CopyTree(System.IO.Path.Combine(repo, "build"), System.IO.Path.Combine(Path, "build"));
        CopyTree(System.IO.Path.Combine(repo, "src"), System.IO.Path.Combine(Path, "src"));

        // A dotnet on PATH that logs each call, so a test sees whether build.sh asked for a build.
        var shim = System.IO.Path.Combine(Path, "shim");
        Directory.CreateDirectory(shim);
        CallLog = System.IO.Path.Combine(Path, "dotnet-calls.log");
        var realDotnet = Environment.ProcessPath!.EndsWith("dotnet") ? Environment.ProcessPath : "/usr/bin/dotnet";
        File.WriteAllText(System.IO.Path.Combine(shim, "dotnet"), $"#!/bin/sh\necho \"$*\" >> '{CallLog}'\nexec '{realDotnet}' \"$@\"\n");
        File.SetUnixFileMode(System.IO.Path.Combine(shim, "dotnet"), (UnixFileMode)0b111_101_101);
        _env = new Dictionary<string, string> { ["PATH"] = shim + ":" + Environment.GetEnvironmentVariable("PATH") };
    }

    public string Path { get; } = Directory.CreateTempSubdirectory("ops-buildsh-").FullName;

    /// <summary>The file the dotnet shim appends each call's arguments to.</summary>
    public string CallLog { get; }

    /// <summary>The copy's first <c>build.sh --help</c>: the cold build, with the calls it made.</summary>
    public (int Code, string Out, string Err, string[] Calls) First { get; private set; }

    /// <summary>A failed or hung first run is kept, not thrown: only the test that asserts on it fails, not every test of the class.</summary>
    public async Task InitializeAsync()
    {
        try
        {
            var (code, output, error) = await BuildSh("--help");
            First = (code, output, error, Calls());
        }
        catch (Xunit.Sdk.XunitException e)
        {
            First = (-1, "", e.Message, Calls());
        }
    }

    /// <summary>Runs build.sh in the copy; a cold build of every src/ project takes minutes on two cores beside the other tests.</summary>
    public Task<(int Code, string Out, string Err)> BuildSh(params string[] args) =>
        ChildProcess.Run("bash", ["build.sh", .. args], Path, _env, TimeSpan.FromMinutes(10));

    public string[] Calls() => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from))
            if (System.IO.Path.GetFileName(dir) is not ("bin" or "obj"))
                CopyTree(dir, System.IO.Path.Combine(to, System.IO.Path.GetFileName(dir)));
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
