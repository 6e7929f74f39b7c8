namespace Ops.LocalCloud.Services;

/// <summary>
/// A resource whose status follows the clock: created at a time, each step taking the configured delay,
/// deleted at a time. Status is computed from persisted timestamps, so it keeps moving between runs.
/// </summary>
internal sealed class Lifecycle
{
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset? Modified { get; set; }
    public DateTimeOffset? Deleted { get; set; }

    /// <summary>Which of <paramref name="steps"/> the resource is in, each taking <paramref name="delay"/>; the last is where it rests.</summary>
    public string Status(DateTimeOffset now, TimeSpan delay, string[] steps, string modifying, string deleting)
    {
        if (Deleted is { } deleted) return deleting;
        if (Modified is { } modified && now < modified + delay) return modifying;
        var elapsed = now - Created;
        for (var i = 0; i < steps.Length - 1; i++)
            if (delay > TimeSpan.Zero && elapsed < delay * (i + 1)) return steps[i];
        return steps[^1];
    }

    /// <summary>True once a deletion has run its course and the resource should disappear.</summary>
    public bool Gone(DateTimeOffset now, TimeSpan delay) => Deleted is { } d && now >= d + delay;
}
