using System.Globalization;
using System.Text;

namespace Ops.LocalCloud.Services.S3;

/// <summary>
/// Reads the payload out of an aws-chunked body as it streams in: "hex-size[;chunk-signature=…]\r\n bytes \r\n" repeated,
/// a zero-size chunk, then optional trailers (x-amz-checksum-…) and a blank line. Chunk signatures are not checked.
/// </summary>
internal sealed class AwsChunkedStream(Stream inner) : Stream
{
    const int MaximumLine = 4096;
    readonly byte[] _buffer = new byte[81920];
    int _start, _end;
    long _remaining;
    bool _started, _done;

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_done || destination.Length == 0) return 0;
        if (_remaining == 0)
        {
            if (_started && await ReadLineAsync(cancellationToken) is not "")
                throw Malformed("a chunk's data is not followed by CRLF");
            _started = true;
            var line = await ReadLineAsync(cancellationToken) ?? throw Incomplete();
            var sizeText = line.Split(';')[0].Trim();
            if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                throw Malformed($"'{line}' is not a chunk header");
            if (size == 0)
            {
                while (await ReadLineAsync(cancellationToken) is { Length: > 0 }) { } // trailers, up to the blank line or the end
                _done = true;
                return 0;
            }
            _remaining = size;
        }
        if (_start == _end && !await FillAsync(cancellationToken)) throw Incomplete();
        var count = (int)Math.Min(Math.Min(destination.Length, _remaining), _end - _start);
        _buffer.AsMemory(_start, count).CopyTo(destination);
        _start += count;
        _remaining -= count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>One CRLF-terminated line without its end; null at the end of the body.</summary>
    async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken)) return line.Length == 0 ? null : throw Incomplete();
            var b = _buffer[_start++];
            if (b == '\n' && line.Length > 0 && line[^1] == '\r') return line.ToString(0, line.Length - 1);
            line.Append((char)b);
            if (line.Length > MaximumLine) throw Malformed("a chunk header or trailer line is too long");
        }
    }

    async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await inner.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }

    static AwsError Incomplete() => new("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header: the aws-chunked body ended early.", 400);

    static AwsError Malformed(string what) => new("InvalidRequest", $"Malformed aws-chunked body: {what}.", 400);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
