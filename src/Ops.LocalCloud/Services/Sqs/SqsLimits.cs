using System.Text;
using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sqs;

/// <summary>SQS's documented limits on messages and batches, and the checks that enforce them.</summary>
internal static class SqsLimits
{
    /// <summary>The largest message (body plus attributes), and the largest batch in total: 1 MiB.</summary>
    public const int MaxMessageSize = 1_048_576;
    public const int MinMessageSize = 1_024;
    public const int MaxBatchEntries = 10;
    public const int MaxDelaySeconds = 900;
    public const int MaxVisibilityTimeout = 43_200;
    public const int MaxWaitTimeSeconds = 20;
    public static readonly TimeSpan DeduplicationWindow = TimeSpan.FromMinutes(5);

    /// <summary>The size SQS counts against MaximumMessageSize: the body's UTF-8 bytes, plus each attribute's name, type and value.</summary>
    public static long Size(string body, JsonObject? attributes)
    {
        long size = Encoding.UTF8.GetByteCount(body);
        foreach (var (name, value) in attributes ?? [])
        {
            size += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount((string?)value?["DataType"] ?? "");
            if ((string?)value?["StringValue"] is { } text) size += Encoding.UTF8.GetByteCount(text);
            if ((string?)value?["BinaryValue"] is { } binary) size += Convert.FromBase64String(binary).Length;
        }
        return size;
    }

    /// <summary>Rejects a body with a character outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.</summary>
    public static void CheckCharacters(string body)
    {
        for (var i = 0; i < body.Length; i++)
        {
            int code = body[i];
            if (char.IsHighSurrogate(body[i]) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]))
            {
                i++;   // a pair encodes #x10000-#x10FFFF: allowed
                continue;
            }
            if (code is 0x9 or 0xA or 0xD || code is >= 0x20 and <= 0xD7FF || code is >= 0xE000 and <= 0xFFFD) continue;
            throw SqsErrors.InvalidMessageContents(
                $"Invalid binary character '#x{code:X}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
        }
    }

    /// <summary>A batch entry id: 1 to 80 alphanumeric characters, hyphens or underscores.</summary>
    public static bool IsBatchEntryId(string? id) =>
        id is { Length: >= 1 and <= 80 } && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_');
}
