using System.Formats.Tar;

namespace Ops.Docker;

/// <summary>
/// Packs a build context into a tar the engine builds from: files in ordinal order, each with a fixed mtime, uid/gid 0 and
/// mode 0644 (0755 if executable), so identical inputs give identical layers; <c>.dockerignore</c> honoured; the Dockerfile
/// added under <see cref="DockerfileName"/> so it may live outside the context.
/// </summary>
public static class BuildContext
{
    /// <summary>The name the Dockerfile gets inside the context tar (passed to the engine as <c>dockerfile=</c>).</summary>
    public const string DockerfileName = ".ops-build.Dockerfile";

    /// <summary>Every entry's modification time: 2000-01-01 UTC, so a touched but unchanged file gives the same layer.</summary>
    public static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    const UnixFileMode Regular = (UnixFileMode)0x1A4;    // 0644
    const UnixFileMode Executable = (UnixFileMode)0x1ED; // 0755

    /// <summary>
    /// Writes the tar of <paramref name="contextDirectory"/> (minus what <c>.dockerignore</c> excludes) plus
    /// <paramref name="dockerfile"/> to a temporary file and returns it open at position 0; it is deleted when disposed.
    /// </summary>
    public static async Task<FileStream> CreateAsync(string contextDirectory, string dockerfile, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(contextDirectory))
            throw new DirectoryNotFoundException($"build context {contextDirectory} does not exist.");
        if (!File.Exists(dockerfile))
            throw new FileNotFoundException($"Dockerfile {dockerfile} does not exist.", dockerfile);
        var ignore = await DockerIgnore.ReadAsync(contextDirectory, cancellationToken);
        var path = Path.Combine(Path.GetTempPath(), $"ops-context-{Guid.NewGuid():N}.tar");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            {
                foreach (var relative in Entries(contextDirectory, ignore))
                    await WriteEntryAsync(tar, Path.Combine(contextDirectory, relative), relative, cancellationToken);
                await WriteEntryAsync(tar, dockerfile, DockerfileName, cancellationToken);
            }
            stream.Position = 0;
            return stream;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>The context-relative paths (forward slashes) that go into the tar, parents before children, in ordinal order.</summary>
    public static IReadOnlyList<string> Entries(string contextDirectory, DockerIgnore ignore)
    {
        var result = new List<string>();
        Walk(contextDirectory, "", ignore, result);
        return result;
    }

    static void Walk(string directory, string prefix, DockerIgnore ignore, List<string> result)
    {
        var children = new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal);
        foreach (var child in children)
        {
            var relative = prefix + child.Name;
            var excluded = ignore.IsExcluded(relative);
            var isDirectory = child is DirectoryInfo && child.LinkTarget == null;
            if (!excluded) result.Add(relative);
            // An excluded directory may still hold a file an exception ("!") brings back, as Docker allows.
            if (isDirectory && (!excluded || ignore.HasExceptions)) Walk(child.FullName, relative + "/", ignore, result);
        }
    }

    /// <summary>PAX would otherwise record the current access and change times: fix them too, so the tar's bytes depend on content only.</summary>
    static Dictionary<string, string> FixedTimes()
    {
        var seconds = FixedTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new() { ["atime"] = seconds, ["ctime"] = seconds };
    }

    static async Task WriteEntryAsync(TarWriter tar, string fullPath, string name, CancellationToken cancellationToken)
    {
        var info = new FileInfo(fullPath);
        var isDirectory = (info.Attributes & FileAttributes.Directory) != 0;
        PaxTarEntry entry;
        if (info.LinkTarget is { } target)
            entry = new PaxTarEntry(TarEntryType.SymbolicLink, name, FixedTimes()) { LinkName = target,
                Mode = Executable | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite };
        else if (isDirectory)
            entry = new PaxTarEntry(TarEntryType.Directory, name + "/", FixedTimes()) { Mode = Executable };
        else
        {
            var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(fullPath) & UnixFileMode.UserExecute) != 0;
            entry = new PaxTarEntry(TarEntryType.RegularFile, name, FixedTimes()) { Mode = executable ? Executable : Regular };
        }
        entry.ModificationTime = FixedTime;
        entry.Uid = 0;
        entry.Gid = 0;
        entry.UserName = "";
        entry.GroupName = "";
        if (entry.EntryType == TarEntryType.RegularFile)
        {
            await using var data = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
            entry.DataStream = data;
            await tar.WriteEntryAsync(entry, cancellationToken);
        }
        else await tar.WriteEntryAsync(entry, cancellationToken);
    }
}
