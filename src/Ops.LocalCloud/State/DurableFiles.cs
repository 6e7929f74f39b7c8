using System.Runtime.InteropServices;

namespace Ops.LocalCloud.State;

/// <summary>
/// File-system steps that make a write survive a crash and keep it private: files created 0600 and flushed to disk,
/// renamed into place atomically, the directory entry itself flushed; directories 0700.
/// </summary>
internal static class DurableFiles
{
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="directory"/> (and missing parents) readable by its owner only.</summary>
    public static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(directory); return; }
        Directory.CreateDirectory(directory, PrivateDirectory);
        File.SetUnixFileMode(directory, PrivateDirectory);
    }

    /// <summary>Options for a new private file that is written once.</summary>
    public static FileStreamOptions NewPrivateFile(FileMode mode = FileMode.CreateNew, FileShare share = FileShare.None) => OperatingSystem.IsWindows()
        ? new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share }
        : new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share, UnixCreateMode = PrivateFile };

    /// <summary>
    /// Creates <paramref name="path"/> (0600) holding <paramref name="content"/>, flushed to disk with its directory entry,
    /// unless it exists: false when it already existed or another process created it first (then read theirs).
    /// </summary>
    public static bool CreatePrivateOnce(string path, ReadOnlySpan<byte> content)
    {
        if (File.Exists(path)) return false;
        try
        {
            using (var stream = new FileStream(path, NewPrivateFile(FileMode.CreateNew)))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>Names starting with this are unfinished writes, never objects or state.</summary>
    public const string TemporaryPrefix = ".tmp-";

    /// <summary>A new, uniquely named temporary file in <paramref name="directory"/>, readable by this user only.</summary>
    public static FileStream CreateTemporary(string directory)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 81920,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFile;
        return new FileStream(Path.Combine(directory, TemporaryPrefix + Guid.NewGuid().ToString("N")), options);
    }

    /// <summary>Makes a temporary file the file at <paramref name="path"/>: fsync, close, atomic rename, fsync the directory.</summary>
    public static void Commit(FileStream temporary, string path)
    {
        temporary.Flush(flushToDisk: true);
        var name = temporary.Name;
        temporary.Dispose();
        File.Move(name, path, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Removes a temporary file that was not committed; a file already gone is fine.</summary>
    public static void Discard(FileStream temporary)
    {
        var name = temporary.Name;
        temporary.Dispose();
        File.Delete(name);
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> so that a crash leaves the old or the new file, never a mix.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temporary = CreateTemporary(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            temporary.Write(content);
            Commit(temporary, path);
        }
        catch
        {
            Discard(temporary);
            throw;
        }
    }

    /// <summary>Flushes a directory's entries (a rename or a new file in it) to disk; a no-op where the OS offers no way.</summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"Cannot open {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"Cannot flush {directory} to disk (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Makes an existing tree private (state written by older versions was world-readable): every directory and file
    /// under <paramref name="root"/> loses its group and other bits, directories keep 0700 for their owner, files keep
    /// their owner's bits (an unpacked image's scripts stay executable). A symbolic link is never followed, neither
    /// when walking nor when changing modes: nothing outside the tree is touched, whatever an image or bundle planted.
    /// </summary>
    public static void Tighten(string root)
    {
        if (OperatingSystem.IsWindows()) return;
        var top = new DirectoryInfo(root);
        if (!top.Exists || top.LinkTarget != null) return;
        File.SetUnixFileMode(root, PrivateDirectory);
        var walk = new System.IO.Enumeration.FileSystemEnumerable<(string Path, bool Directory, bool Link)>(root,
            (ref System.IO.Enumeration.FileSystemEntry e) => (e.ToFullPath(), e.IsDirectory, (e.Attributes & FileAttributes.ReparsePoint) != 0),
            new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
        {
            ShouldRecursePredicate = (ref System.IO.Enumeration.FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        foreach (var (path, isDirectory, isLink) in walk)
        {
            if (isLink) continue;
            var info = new FileInfo(path);
            if (info.LinkTarget != null) continue; // replaced by a link since it was listed
            var mode = File.GetUnixFileMode(path);
            var tight = isDirectory ? PrivateDirectory : mode & (UnixFileMode)0x1C0; // owner bits only
            if (tight != mode) File.SetUnixFileMode(path, tight);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    static extern int Close(int fd);
}
