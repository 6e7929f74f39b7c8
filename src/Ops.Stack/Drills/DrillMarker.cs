namespace Ops.Stack.Drills;

/// <summary>
/// One marker a drill writes before the teardown and looks for after the recreate: the store it lives in, where, and what
/// became of it (<c>written</c>, then <c>survived</c> or <c>lost</c>; <c>skipped</c> when the store cannot be reached, with why).
/// </summary>
public sealed record DrillMarker(string Store, string Where)
{
    public string State { get; set; } = "pending";

    public string? Detail { get; set; }

    public bool Lost => State == "lost";
}
