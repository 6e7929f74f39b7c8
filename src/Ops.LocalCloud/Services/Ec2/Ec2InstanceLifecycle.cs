namespace Ops.LocalCloud.Services.Ec2;

/// <summary>
/// An instance's state from the clock: pending → running, stopping → stopped, shutting-down → terminated,
/// each transition taking the configured delay.
/// </summary>
internal sealed class Ec2InstanceLifecycle(TimeSpan delay)
{
    public string State(Ec2Instance x, DateTimeOffset now)
    {
        bool Within(DateTimeOffset? since) => since is { } s && delay > TimeSpan.Zero && now < s + delay;
        if (x.TerminateRequested is { } t) return Within(t) ? "shutting-down" : "terminated";
        if (x.StopRequested is { } s) return Within(s) ? "stopping" : "stopped";
        return Within(x.Started ?? x.Launched) ? "pending" : "running";
    }

    /// <summary>The numeric code EC2 sends with each state name.</summary>
    public static int Code(string state) => state switch
    {
        "pending" => 0,
        "running" => 16,
        "shutting-down" => 32,
        "terminated" => 48,
        "stopping" => 64,
        _ => 80,
    };
}
