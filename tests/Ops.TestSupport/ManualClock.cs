namespace Ops.TestSupport;

/// <summary>A clock a test moves by hand, so time-driven states are observed deterministically.</summary>
public sealed class ManualClock : TimeProvider
{
    DateTimeOffset _now = DateTimeOffset.UtcNow;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
