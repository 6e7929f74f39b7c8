using Ops.Contracts;
namespace Ops.Stack.Rollout;

/// <summary>How one run drives a rollout: strategy, timeouts, --force, poll intervals, and who holds the lease.</summary>
public sealed record RolloutOptions
{
    /// <summary>kill-ack or task-protection (--drain; default the stack's worker.drain).</summary>
    public required DrainStrategy Strategy { get; init; }

    public required TimeSpan DrainTimeout { get; init; }

    public required TimeSpan UpdateTimeout { get; init; }

    /// <summary>Skip waiting for acknowledgements (and update without a drained record), loudly.</summary>
    public bool Force { get; init; }

    /// <summary>How often the drain reads acknowledgements and tasks (0.5 s).</summary>
    public TimeSpan DrainPoll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the update reads the service (1 s).</summary>
    public TimeSpan UpdatePoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the new deployment must run the desired count, with no task failing, before the update counts as done (5 s).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this often a progress line while nothing changes (5 s).</summary>
    public TimeSpan ProgressEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a lease lasts without renewal (30 s).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the lease is renewed (10 s).</summary>
    public TimeSpan LeaseRenewal { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Who this run is: user, host and pid (tests play other holders).</summary>
    public string User { get; init; } = Environment.UserName;

    public string Host { get; init; } = Environment.MachineName;

    public int Pid { get; init; } = Environment.ProcessId;

    /// <summary>user@host pid N, as the lease and the record name it.</summary>
    public string Holder => $"{User}@{Host} pid {Pid}";
}
