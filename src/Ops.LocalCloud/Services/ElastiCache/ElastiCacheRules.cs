using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.ElastiCache;

/// <summary>ElastiCache's documented rules for ids and AUTH tokens (InvalidParameterValue / InvalidParameterCombination otherwise).</summary>
internal static class ElastiCacheRules
{
    /// <summary>Cache cluster ids: 1–50 letters, digits or hyphens, first a letter, no trailing or doubled hyphen; stored lower case.</summary>
    public static string CacheClusterId(string id) => Identifiers.Lowered(id, "CacheClusterId", 50);

    /// <summary>Replication group ids: the same, 1–40 characters.</summary>
    public static string ReplicationGroupId(string id) => Identifiers.Lowered(id, "ReplicationGroupId", 40);

    /// <summary>An AUTH token: 16–128 printable ASCII characters, the only specials ! &amp; # $ ^ &lt; &gt; -, and only with encryption in transit.</summary>
    public static void AuthToken(JsonObject i)
    {
        if ((string?)i["AuthToken"] is not { } token) return;
        Token(token);
        if (i["TransitEncryptionEnabled"] is not JsonValue transit || !transit.GetValue<bool>())
            throw new AwsError("InvalidParameterCombination", "The AUTH token is only supported when encryption-in-transit is enabled (TransitEncryptionEnabled).");
    }

    /// <summary>16–128 printable ASCII characters, the only specials ! &amp; # $ ^ &lt; &gt; -.</summary>
    public static void Token(string token)
    {
        if (token.Length is < 16 or > 128 || !token.All(ch => char.IsAsciiLetterOrDigit(ch) || "!&#$^<>-".Contains(ch)))
            throw AwsError.Invalid("Invalid AuthToken provided: it must be 16 to 128 printable ASCII characters, the only special characters allowed being ! & # $ ^ < > -.");
    }

    /// <summary>At most 255 letters, digits or hyphens; stored lower case.</summary>
    public static string SubnetGroupName(string name) =>
        name.Length <= 255 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')
            ? name.ToLowerInvariant()
            : throw AwsError.Invalid($"The parameter CacheSubnetGroupName is not valid: '{name}'. It may hold at most 255 letters, digits or hyphens.");
}
