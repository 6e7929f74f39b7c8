namespace Ops.LocalCloud.Services.DynamoDb;

/// <summary>DynamoDB's rules for table and index names (3–255 characters of [a-zA-Z0-9_.-]), refused in AWS's words.</summary>
internal static class DynamoNames
{
    /// <summary>A table name that follows the rules, or a ValidationException naming every broken constraint.</summary>
    public static string Table(string name)
    {
        var errors = new List<string>();
        Check(errors, name, "tableName");
        ThrowIfAny(errors);
        return name;
    }

    /// <summary>Adds to <paramref name="errors"/> each constraint <paramref name="value"/> breaks at <paramref name="path"/>.</summary>
    public static void Check(List<string> errors, string? value, string path)
    {
        if (value == null)
        {
            errors.Add($"Value null at '{path}' failed to satisfy constraint: Member must not be null");
            return;
        }
        if (value.Length == 0 || !value.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '.' or '-'))
            errors.Add($"Value '{value}' at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        if (value.Length < 3) errors.Add($"Value '{value}' at '{path}' failed to satisfy constraint: Member must have length greater than or equal to 3");
        if (value.Length > 255) errors.Add($"Value '{value}' at '{path}' failed to satisfy constraint: Member must have length less than or equal to 255");
    }

    public static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
            throw new AwsError("ValidationException", $"{errors.Count} validation error{(errors.Count == 1 ? "" : "s")} detected: {string.Join("; ", errors)}");
    }
}
