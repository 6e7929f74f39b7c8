using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sqs;

/// <summary>The MD5 digests SQS returns and clients verify: of the body, and of the message attributes.</summary>
internal static class SqsChecksums
{
    public static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The MD5 of message attributes as SQS defines it: sorted names, length-prefixed name, type, transport byte and value.</summary>
    public static string AttributesMd5(JsonObject attributes)
    {
        using var buffer = new MemoryStream();
        void Write(byte[] bytes)
        {
            var length = BitConverter.GetBytes(bytes.Length);
            if (BitConverter.IsLittleEndian) Array.Reverse(length);
            buffer.Write(length);
            buffer.Write(bytes);
        }
        foreach (var (name, node) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var type = (string)node!["DataType"]!;
            Write(Encoding.UTF8.GetBytes(name));
            Write(Encoding.UTF8.GetBytes(type));
            if (node["BinaryValue"] is { } binary)
            {
                buffer.WriteByte(2);
                Write(Convert.FromBase64String((string)binary!));
            }
            else
            {
                buffer.WriteByte(1);
                Write(Encoding.UTF8.GetBytes((string?)node["StringValue"] ?? ""));
            }
        }
        return Convert.ToHexStringLower(MD5.HashData(buffer.ToArray()));
    }
}
