using System.Text;

namespace Ops.LocalCloud.Services.S3;

/// <summary>The bucket and key a path-style request names, taken from the raw request target and percent-decoded exactly once.</summary>
internal sealed record S3Target(string Bucket, string Key)
{
    public const int MaximumKeyBytes = 1024;

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Splits "/bucket/key…?query" (or an absolute-form URL) at the first slash after the bucket; the key keeps every
    /// later slash, dot segment and '+' as sent.</summary>
    public static S3Target Parse(string rawTarget)
    {
        var path = rawTarget;
        var query = path.IndexOf('?');
        if (query >= 0) path = path[..query];
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var afterScheme = path.IndexOf("//", StringComparison.Ordinal) + 2;
            var slash = path.IndexOf('/', afterScheme);
            path = slash < 0 ? "/" : path[slash..];
        }
        if (!path.StartsWith('/')) throw new AwsError("InvalidURI", $"Couldn't parse the specified URI: '{rawTarget}'.", 400);
        path = path[1..];
        var separator = path.IndexOf('/');
        var bucket = Decode(separator < 0 ? path : path[..separator], rawTarget);
        var key = separator < 0 ? "" : Decode(path[(separator + 1)..], rawTarget);
        if (Encoding.UTF8.GetByteCount(key) > MaximumKeyBytes)
            throw new AwsError("KeyTooLongError", $"Your key is too long: {Encoding.UTF8.GetByteCount(key)} bytes; the maximum is {MaximumKeyBytes}.", 400);
        return new S3Target(bucket, key);
    }

    /// <summary>Percent-decodes once into UTF-8 ('+' stays a plus, as in any URL path); malformed escapes or bytes are InvalidURI.</summary>
    public static string Decode(string text, string context)
    {
        if (!text.Contains('%')) return text;
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                    throw new AwsError("InvalidURI", $"Couldn't parse the specified URI: bad percent-escape in '{context}'.", 400);
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (ch < 0x80) bytes.Add((byte)ch);
            else bytes.AddRange(Encoding.UTF8.GetBytes(ch.ToString()));
        }
        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new AwsError("InvalidURI", $"Couldn't parse the specified URI: '{context}' does not decode to UTF-8.", 400);
        }
    }
}
