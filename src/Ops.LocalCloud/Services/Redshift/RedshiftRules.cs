using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Redshift;

/// <summary>Redshift's documented rules for cluster and snapshot identifiers, admin users and passwords (InvalidParameterValue otherwise).</summary>
internal static class RedshiftRules
{
    /// <summary>1–63 lower-case letters, digits or hyphens, first a letter, no trailing or doubled hyphen.</summary>
    public static string ClusterIdentifier(string id, string member = "ClusterIdentifier") =>
        Identifiers.IsHyphenated(id, 63) && !id.Any(char.IsAsciiLetterUpper) ? id : throw AwsError.Invalid(
            $"The parameter {member} is not a valid identifier: '{id}'. It must hold 1 to 63 lower-case letters, digits or hyphens, begin with a letter, and not end with a hyphen or contain two consecutive hyphens.");

    /// <summary>1–255 letters, digits or hyphens, first a letter, no trailing or doubled hyphen.</summary>
    public static string SnapshotIdentifier(string id, string member) =>
        Identifiers.IsHyphenated(id, 255) ? id.ToLowerInvariant() : throw AwsError.Invalid(
            $"The parameter {member} is not a valid identifier: '{id}'. It must hold 1 to 255 letters, digits or hyphens, begin with a letter, and not end with a hyphen or contain two consecutive hyphens.");

    /// <summary>Checks a CreateCluster input; returns the cluster identifier.</summary>
    public static string CreateCluster(JsonObject i)
    {
        var id = ClusterIdentifier(Identifiers.Required(i, "ClusterIdentifier"));
        Identifiers.Required(i, "NodeType");
        var user = Identifiers.Required(i, "MasterUsername");
        if (user.Length > 128 || !char.IsAsciiLetter(user[0]) || user.Equals("public", StringComparison.OrdinalIgnoreCase)
            || !user.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '_' or '+' or '.' or '@' or '-'))
            throw AwsError.Invalid($"The parameter MasterUsername is not valid: '{user}'. It must hold 1 to 128 lower-case letters, digits, '_', '+', '.', '@' or '-', begin with a letter, and not be PUBLIC.");
        if ((string?)i["MasterUserPassword"] is { } password) Password(password);
        return id;
    }

    /// <summary>8–64 printable ASCII characters besides ' " \ / @, with an upper-case letter, a lower-case letter and a digit.</summary>
    public static void Password(string password)
    {
        if (password.Length is < 8 or > 64 || !Identifiers.IsPrintable(password, "'\"\\/@")
            || !password.Any(char.IsAsciiLetterUpper) || !password.Any(char.IsAsciiLetterLower) || !password.Any(char.IsAsciiDigit))
            throw AwsError.Invalid("The parameter MasterUserPassword is not a valid password. It must be 8 to 64 printable ASCII characters other than ' \" \\ / @ and contain an upper-case letter, a lower-case letter and a digit.");
    }

    /// <summary>At most 255 letters, digits or hyphens, not "default"; stored lower case.</summary>
    public static string SubnetGroupName(string name) =>
        name.Length <= 255 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-') && !name.Equals("default", StringComparison.OrdinalIgnoreCase)
            ? name.ToLowerInvariant()
            : throw AwsError.Invalid($"The parameter ClusterSubnetGroupName is not valid: '{name}'. It may hold at most 255 letters, digits or hyphens and must not be 'default'.");
}
