namespace Ops.LocalCloud.Services.Ssm;

/// <summary>What Parameter Store keeps: parameters by name.</summary>
internal sealed class SsmState
{
    public SortedDictionary<string, SsmParameter> Parameters { get; set; } = new(StringComparer.Ordinal);
}
