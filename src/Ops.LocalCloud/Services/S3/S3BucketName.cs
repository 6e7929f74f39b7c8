using System.Net;

namespace Ops.LocalCloud.Services.S3;

/// <summary>S3's general-purpose bucket naming rules, checked before a name comes anywhere near the file system.</summary>
internal static class S3BucketName
{
    static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
    static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    /// <summary>Whether <paramref name="name"/> is a valid bucket name: 3–63 of a-z 0-9 . -, letter or digit at both ends,
    /// no "..", not an IP address, no reserved prefix or suffix.</summary>
    public static bool IsValid(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '.' or '-')
        && IsLetterOrDigit(name[0]) && IsLetterOrDigit(name[^1])
        && !name.Contains("..", StringComparison.Ordinal)
        && !IsIpAddress(name)
        && !ReservedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))
        && !ReservedSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));

    /// <summary>The name itself when valid; otherwise S3's InvalidBucketName (400).</summary>
    public static string Require(string name) => IsValid(name)
        ? name
        : throw new AwsError("InvalidBucketName", $"The specified bucket is not valid: '{name}'. Bucket names are 3-63 characters of a-z, 0-9, '.' and '-', start and end with a letter or digit, and are not IP addresses.", 400);

    static bool IsLetterOrDigit(char ch) => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch);

    static bool IsIpAddress(string name) => name.Count(ch => ch == '.') == 3 && IPAddress.TryParse(name, out _);
}
