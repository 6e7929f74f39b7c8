using System.Runtime.InteropServices;

namespace Ops.LocalCloud.Services.S3;

/// <summary>Private (0700/0600) directories and files, and writes that survive a crash: temp file, fsync, rename, fsync the directory.</summary>
internal static class DurableFile
{
    const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory (and missing parents) readable by this user only.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, PrivateDirectory);
    }

    /// <summary>A new, uniquely named temporary file in <paramref name="directory"/>, readable by this user only.</summary>
    public static FileStream CreateTemporary(string directory)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 81920, Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFile;
        return new FileStream(Path.Combine(directory, TemporaryPrefix + Guid.NewGuid().ToString("N")), options);
    }

    /// <summary>Names starting with this are unfinished writes, never objects.</summary>
    public const string TemporaryPrefix = ".tmp-";

    /// <summary>Makes a temporary file the file at <paramref name="path"/>: fsync, close, atomic rename, fsync the directory.</summary>
    public static void Commit(FileStream temporary, string path)
    {
        temporary.Flush(flushToDisk: true);
        var name = temporary.Name;
        temporary.Dispose();
        File.Move(name, path, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Removes a temporary file that was not committed; a file already gone is fine.</summary>
    public static void Discard(FileStream temporary)
    {
        var name = temporary.Name;
        temporary.Dispose();
        File.Delete(name);
    }

    /// <summary>Writes small content durably (temp, fsync, rename, fsync the directory).</summary>
    public static void WriteAllBytes(string path, byte[] content)
    {
        var temporary = CreateTemporary(Path.GetDirectoryName(path)!);
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

    /// <summary>Makes a directory's entries (a rename, a delete) durable: fsync on the directory itself (POSIX only).</summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"Cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    static extern int Close(int fd);
}
