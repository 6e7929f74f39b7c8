namespace Ops.LocalCloud.Services.Sns;

/// <summary>Everything SNS keeps: its topics by name.</summary>
internal sealed class SnsState
{
    public SortedDictionary<string, SnsTopic> Topics { get; set; } = new(StringComparer.Ordinal);
}
