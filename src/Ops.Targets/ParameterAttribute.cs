namespace Ops.Targets;

/// <summary>Marks a field or property of the build as a parameter filled from the CLI, environment or parameters files.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description = "") : Attribute
{
    public string Description { get; } = description;

    /// <summary>Overrides the kebab-case name derived from the member name.</summary>
    public string? Name { get; init; }
}
