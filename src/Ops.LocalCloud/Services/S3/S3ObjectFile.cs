using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.S3;

/// <summary>
/// One object in one file: its bytes, then its header as JSON, then the header's length and a magic tag. The header goes
/// last so an upload streams straight to disk; one file per object means one rename replaces bytes and metadata together.
/// </summary>
internal static class S3ObjectFile
{
    static readonly byte[] Magic = "OPS3"u8.ToArray();
    const int TrailerLength = 8;

    /// <summary>
    /// Writes an object to <paramref name="path"/> durably: <paramref name="writeData"/> streams the bytes into a temporary file
    /// and returns the ETag; the header is made from size and ETag; only then is the file renamed into place.
    /// </summary>
    public static async Task<S3ObjectHeader> WriteAsync(
        string path, Func<Stream, CancellationToken, Task<string>> writeData, Func<long, string, S3ObjectHeader> header, CancellationToken cancellationToken)
    {
        var temporary = DurableFiles.CreateTemporary(Path.GetDirectoryName(path)!);
        try
        {
            var etag = await writeData(temporary, cancellationToken);
            var result = header(temporary.Position, etag);
            var json = JsonSerializer.SerializeToUtf8Bytes(result);
            await temporary.WriteAsync(json, cancellationToken);
            var trailer = new byte[TrailerLength];
            BinaryPrimitives.WriteInt32LittleEndian(trailer, json.Length);
            Magic.CopyTo(trailer, 4);
            await temporary.WriteAsync(trailer, cancellationToken);
            DurableFiles.Commit(temporary, path);
            return result;
        }
        catch
        {
            DurableFiles.Discard(temporary);
            throw;
        }
    }

    /// <summary>Copies <paramref name="length"/> bytes (all when null) and returns their MD5 as a quoted ETag.</summary>
    public static async Task<string> CopyHashingAsync(Stream source, Stream destination, long? length, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[81920];
        var remaining = length ?? long.MaxValue;
        while (remaining > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
            if (read == 0) break;
            md5.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            remaining -= read;
        }
        return Quote(Convert.ToHexStringLower(md5.GetHashAndReset()));
    }

    public static string Quote(string hex) => "\"" + hex + "\"";

    /// <summary>Opens an object for reading, or null when there is none: the handle keeps seeing this version even if it is replaced.</summary>
    public static S3StoredObject? Open(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
                Options = FileOptions.Asynchronous,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return new S3StoredObject(ReadHeader(file, path), file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The header alone, or null when the file is gone.</summary>
    public static S3ObjectHeader? TryReadHeader(string path)
    {
        using var stored = Open(path);
        return stored?.Header;
    }

    static S3ObjectHeader ReadHeader(FileStream file, string path)
    {
        var length = file.Length;
        var trailer = new byte[TrailerLength];
        if (length < TrailerLength || RandomAccess.Read(file.SafeFileHandle, trailer, length - TrailerLength) != TrailerLength
            || !trailer.AsSpan(4).SequenceEqual(Magic))
            throw new InvalidDataException($"S3 object file {path} is damaged (no header); delete it.");
        var size = BinaryPrimitives.ReadInt32LittleEndian(trailer);
        if (size < 0 || size > length - TrailerLength) throw new InvalidDataException($"S3 object file {path} is damaged (bad header length); delete it.");
        var json = new byte[size];
        RandomAccess.Read(file.SafeFileHandle, json, length - TrailerLength - size);
        var header = JsonSerializer.Deserialize<S3ObjectHeader>(json) ?? throw new InvalidDataException($"S3 object file {path} has an empty header; delete it.");
        if (header.Size != length - TrailerLength - size) throw new InvalidDataException($"S3 object file {path} is damaged (size mismatch); delete it.");
        return header;
    }

    /// <summary>The part of a file name made from a key: SHA-256 of its UTF-8 bytes, so no key can name a path.</summary>
    public static string NameFor(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Whether a directory entry is an object file (and not a temporary one).</summary>
    public static bool IsObjectFileName(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);
}
