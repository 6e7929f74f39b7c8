namespace Ops.Targets.Parameters;

/// <summary>A parameter after binding: its value, where it came from, or why its input was refused.</summary>
internal sealed record BoundParameter(ParameterDescriptor Descriptor, object? Value, ParameterSource Source, string? Origin, string? Error)
{
    /// <summary>The one-line usage error for a refused value.</summary>
    public string ErrorLine => $"--{Descriptor.Name} (from {Origin}): {Error}.";
}
