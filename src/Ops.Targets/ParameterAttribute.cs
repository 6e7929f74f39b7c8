namespace Ops.Targets;

/// <summary>Marks a field or property of the build as a parameter filled from the CLI, environment or parameters files.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description = "") : Attribute
{
    public string Description { get; } = description;

    /// <summary>Overrides the kebab-case name derived from the member name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Read only from the command line, never from the environment or a parameters file: for guards (confirmations,
    /// overrides of a safety check) and secrets, which must be typed on purpose, not met by accident in an exported variable.
    /// </summary>
    public bool CommandLineOnly { get; init; }
}
