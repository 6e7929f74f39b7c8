using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Rds;

/// <summary>RDS's documented rules for what CreateDBInstance and the subnet-group calls accept (InvalidParameterValue otherwise).</summary>
internal static class RdsRules
{
    /// <summary>Checks a CreateDBInstance input; returns the instance identifier as AWS stores it (lower case).</summary>
    public static string CreateInstance(JsonObject i)
    {
        var id = Identifiers.Lowered(Identifiers.Required(i, "DBInstanceIdentifier"), "DBInstanceIdentifier", 63);
        Identifiers.Required(i, "DBInstanceClass");
        var engine = Identifiers.Required(i, "Engine");
        if ((string?)i["MasterUsername"] is { } user)
        {
            var max = engine.StartsWith("postgres", StringComparison.Ordinal) ? 63 : 16;
            if (user.Length < 1 || user.Length > max || !char.IsAsciiLetter(user[0]) || !user.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
                throw AwsError.Invalid($"The parameter MasterUsername is not a valid identifier: it must be 1 to {max} letters, digits or underscores, beginning with a letter, for engine {engine}.");
        }
        if ((string?)i["MasterUserPassword"] is { } password)
        {
            var (min, max) = engine switch
            {
                _ when engine.StartsWith("mysql", StringComparison.Ordinal) || engine.StartsWith("mariadb", StringComparison.Ordinal) => (8, 41),
                _ when engine.StartsWith("oracle", StringComparison.Ordinal) => (8, 30),
                _ when engine.StartsWith("db2", StringComparison.Ordinal) => (8, 255),
                _ => (8, 128),
            };
            if (password.Length < min || password.Length > max)
                throw AwsError.Invalid($"The parameter MasterUserPassword is not a valid password because it is shorter than {min} or longer than {max} characters (engine {engine}).");
            if (!Identifiers.IsPrintable(password, "/\"@"))
                throw AwsError.Invalid("The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.");
        }
        if (i["AllocatedStorage"] is JsonValue storage)
        {
            var size = storage.GetValue<long>();
            var type = (string?)i["StorageType"] ?? "gp3";
            var (min, max) = type switch { "standard" => (5, 3072), "io1" or "io2" => (100, 65536), _ => (20, 65536) };
            if (size < min || size > max) throw AwsError.Invalid($"Invalid storage size for engine name {engine} and storage type {type}: {size}");
        }
        return id;
    }

    /// <summary>At most 255 letters, digits, periods, underscores, spaces or hyphens, not "default"; stored lower case.</summary>
    public static string SubnetGroupName(string name)
    {
        if (name.Length > 255 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or ' ' or '-'))
            throw AwsError.Invalid($"The parameter DBSubnetGroupName is not a valid identifier: '{name}'. It may hold at most 255 letters, digits, periods, underscores, spaces or hyphens.");
        if (name.Equals("default", StringComparison.OrdinalIgnoreCase))
            throw AwsError.Invalid("The parameter DBSubnetGroupName must not be 'default'.");
        return name.ToLowerInvariant();
    }
}
