namespace Ops.LocalCloud.Services.Logs;

/// <summary>Everything CloudWatch Logs keeps (the <c>logs.json</c> state file): log groups by name.</summary>
internal sealed class LogsState
{
    public SortedDictionary<string, LogGroup> Groups { get; set; } = new(StringComparer.Ordinal);
}
