namespace Ops.LocalCloud.Services.Ssm;

/// <summary>One parameter; a SecureString's <see cref="Value"/> is kept sealed (see State/SecretBox).</summary>
internal sealed class SsmParameter
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = "String";
    public string Value { get; set; } = "";
    public long Version { get; set; }
    public DateTimeOffset LastModified { get; set; }
    public string? Description { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
}
