using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Ops.Stack.Web;

/// <summary>
/// The web tier's source bundle: <c>web.source</c> zipped deterministically (entries sorted, fixed timestamps and
/// permissions), so an unchanged source gives the same bytes and the same version label <c>v-&lt;12 hex of its SHA-256&gt;</c>.
/// Caches, VCS data and the collected statics (they go to S3, not to the instances) are left out.
/// </summary>
public sealed partial class SourceBundle
{
    /// <summary>Directory names never bundled, wherever they are.</summary>
    static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { "__pycache__", ".git", "node_modules", ".pytest_cache", ".mypy_cache" };

    /// <summary>The timestamp of every entry (the zip format's earliest date).</summary>
    static readonly DateTimeOffset Epoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public required byte[] Bytes { get; init; }

    /// <summary>The application version label this content gets.</summary>
    public required string Label { get; init; }

    public required int Files { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>The Procfile's web command.</summary>
    public required string WebCommand { get; init; }

    /// <summary>
    /// The problem with <paramref name="source"/> as a bundle (missing, no Procfile, no <c>web:</c> line) as one line
    /// naming the fix, or null when it can be bundled. Pure reads of the local tree: callers check it before any cloud call.
    /// </summary>
    public static string? Problem(string repositoryRoot, string source)
    {
        var directory = Path.GetFullPath(Path.Combine(repositoryRoot, source));
        if (!Directory.Exists(directory)) return $"web.source '{source}' does not exist under {repositoryRoot}; point web.source at the directory holding the web app's Procfile.";
        var procfile = Path.Combine(directory, "Procfile");
        if (!File.Exists(procfile)) return $"web.source '{source}' has no Procfile; add one with a web: line (web: python3 application.py), as Elastic Beanstalk runs it.";
        return WebLine(File.ReadAllLines(procfile)) == null
            ? $"{source}/Procfile has no web: line; add one (web: python3 application.py): Elastic Beanstalk runs that process."
            : null;
    }

    /// <summary>Zips <paramref name="source"/> (relative to <paramref name="repositoryRoot"/>) leaving out <paramref name="excluded"/> (a directory, relative
    /// to the root) too.</summary>
    public static SourceBundle Create(string repositoryRoot, string source, string? excluded)
    {
        if (Problem(repositoryRoot, source) is { } problem) throw new StackException(problem);
        var directory = Path.GetFullPath(Path.Combine(repositoryRoot, source));
        var skipped = excluded == null ? null : Path.GetFullPath(Path.Combine(repositoryRoot, excluded));
        var files = Enumerate(directory, skipped).Select(f => (Path: f, Name: Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, name) in files)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = Epoch;
                var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
                entry.ExternalAttributes = (executable ? 0b1_000_000_111_101_101 : 0b1_000_000_110_100_100) << 16; // regular file, 0755 or 0644
                using var output = entry.Open();
                using var input = File.OpenRead(path);
                input.CopyTo(output);
            }
        }
        var bytes = buffer.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return new SourceBundle
        {
            Bytes = bytes,
            Sha256 = sha,
            Label = "v-" + sha[..12],
            Files = files.Count,
            WebCommand = WebLine(File.ReadAllLines(Path.Combine(directory, "Procfile")))!,
        };
    }

    static IEnumerable<string> Enumerate(string directory, string? skipped)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
            if (!file.EndsWith(".pyc", StringComparison.Ordinal) && Path.GetFileName(file) != ".DS_Store"
                && !new FileInfo(file).Attributes.HasFlag(FileAttributes.ReparsePoint))
                yield return file;
        foreach (var sub in Directory.EnumerateDirectories(directory))
        {
            if (SkippedDirectories.Contains(Path.GetFileName(sub)) || sub == skipped
                || new DirectoryInfo(sub).Attributes.HasFlag(FileAttributes.ReparsePoint)) continue;
            foreach (var file in Enumerate(sub, skipped)) yield return file;
        }
    }

    /// <summary>The command of a Procfile's <c>web:</c> line, or null.</summary>
    public static string? WebLine(IEnumerable<string> procfile) =>
        procfile.Select(l => WebEntry().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value.Trim() is { Length: > 0 } command ? command : null;

    [GeneratedRegex(@"^\s*web\s*:\s*(.+)$")]
    private static partial Regex WebEntry();
}
