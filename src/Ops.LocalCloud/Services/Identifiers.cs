using System.Security.Cryptography;
using System.Text;

namespace Ops.LocalCloud.Services;

/// <summary>The naming rules AWS applies to the data stores' identifiers and secrets, and stable generated ids.</summary>
internal static class Identifiers
{
    /// <summary>1 to <paramref name="max"/> ASCII letters, digits or hyphens; first a letter; no trailing hyphen, no two hyphens in a row.</summary>
    public static bool IsHyphenated(string id, int max) =>
        id.Length >= 1 && id.Length <= max && char.IsAsciiLetter(id[0]) && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')
        && !id.EndsWith('-') && !id.Contains("--", StringComparison.Ordinal);

    /// <summary>An RDS or ElastiCache identifier, checked and lower-cased as AWS stores it; InvalidParameterValue otherwise.</summary>
    public static string Lowered(string id, string member, int max) => IsHyphenated(id, max)
        ? id.ToLowerInvariant()
        : throw AwsError.Invalid($"The parameter {member} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens (at most {max} characters): '{id}'.");

    /// <summary>True when every character is printable ASCII (33–126) and none is in <paramref name="forbidden"/>.</summary>
    public static bool IsPrintable(string value, string forbidden) => value.All(ch => ch is >= '!' and <= '~' && !forbidden.Contains(ch));

    /// <summary>A member AWS requires on this call; MissingParameter (the awsQuery services' code) when absent.</summary>
    public static string Required(System.Text.Json.Nodes.JsonObject input, string member) =>
        (string?)input[member] is { Length: > 0 } value ? value : throw new AwsError("MissingParameter", $"The request must contain the parameter {member}.");

    /// <summary>The characters of AWS's access key and unique ids: upper-case letters and the digits 2–7.</summary>
    const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>An unguessable id like AWS's: <paramref name="prefix"/> (AKIA, ASIA, AROA…) and <paramref name="length"/> random base-32 characters.</summary>
    public static string Random(string prefix, int length) => prefix + new string(RandomNumberGenerator.GetItems<char>(Base32, length));

    /// <summary>An unguessable token (48 hex characters) that is a process's own key to its container endpoints (metadata, protection, credentials).</summary>
    public static string Token() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>A resource id like AWS's (prefix and 26 upper-case letters and digits), the same for the same inputs in every process.</summary>
    public static string Stable(string prefix, params string[] parts)
    {
        const string alphabet = Base32;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        var text = new StringBuilder(prefix);
        for (var i = 0; i < 26; i++) text.Append(alphabet[hash[i] % 32]);
        return text.ToString();
    }
}
