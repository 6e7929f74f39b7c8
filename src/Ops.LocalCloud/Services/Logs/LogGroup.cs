namespace Ops.LocalCloud.Services.Logs;

/// <summary>A log group: retention, tags, and its streams of events (kept in timestamp order).</summary>
internal sealed class LogGroup
{
    public string Name { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    public int? RetentionDays { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
    public SortedDictionary<string, List<LogEvent>> Streams { get; set; } = new(StringComparer.Ordinal);
}
