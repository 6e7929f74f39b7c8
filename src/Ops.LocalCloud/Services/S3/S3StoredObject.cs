using System.Security.Cryptography;

namespace Ops.LocalCloud.Services.S3;

/// <summary>An object opened for reading: its header and an open handle on exactly that version of its bytes.</summary>
internal sealed class S3StoredObject(S3ObjectHeader header, FileStream file) : IDisposable
{
    public S3ObjectHeader Header { get; } = header;

    /// <summary>Streams bytes [offset, offset+length) of the object to <paramref name="destination"/>, hashing them when asked.</summary>
    public async Task CopyToAsync(Stream destination, long offset, long length, CancellationToken cancellationToken, IncrementalHash? hash = null)
    {
        var buffer = new byte[Math.Min(81920, Math.Max(1, length))];
        while (length > 0)
        {
            var read = await RandomAccess.ReadAsync(file.SafeFileHandle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), offset, cancellationToken);
            if (read == 0) throw new IOException("S3 object file ended early.");
            hash?.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            offset += read;
            length -= read;
        }
    }

    public void Dispose() => file.Dispose();
}
