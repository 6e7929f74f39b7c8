using System.Text.Json.Nodes;

namespace Ops.Aws.Waiters;

/// <summary>A waiter from the service model: default delay and attempts, and acceptors tried in order.</summary>
public sealed record WaiterDefinition(string Name, int DelaySeconds, int MaxAttempts, IReadOnlyList<Acceptor> Acceptors);

/// <summary>One acceptor: when its matcher matches, the waiter moves to <see cref="State"/>.</summary>
public sealed record Acceptor(WaiterState State, WaiterMatcher Matcher, string? Argument, string ExpectedJson)
{
    public JsonNode? Expected { get; } = JsonNode.Parse(ExpectedJson);
}

public enum WaiterState
{
    Success,
    Failure,
    Retry,
}

public enum WaiterMatcher
{
    Path,
    PathAll,
    PathAny,
    Status,
    Error,
}

/// <summary>How long and how often to poll, and who to tell.</summary>
public sealed record WaiterOptions
{
    /// <summary>The shortest wait between attempts. Default: the model's delay.</summary>
    public TimeSpan? MinDelay { get; init; }

    /// <summary>The longest wait between attempts (backoff is exponential with jitter up to this). Default: 120 s.</summary>
    public TimeSpan? MaxDelay { get; init; }

    /// <summary>Give up after this long. Default: the model's delay × max attempts.</summary>
    public TimeSpan? MaxWait { get; init; }

    /// <summary>Called after every attempt that does not end the wait.</summary>
    public Action<WaiterProgress>? Progress { get; init; }
}

/// <summary>Where a wait stands: attempt count, time waited, what the resource looks like, the next pause.</summary>
public sealed record WaiterProgress(string Waiter, int Attempt, TimeSpan Waited, string State, TimeSpan NextDelay);

/// <summary>A waiter stopped without success.</summary>
public abstract class WaiterException(string message, Exception? inner = null) : Exception(message, inner)
{
    public required string Waiter { get; init; }
    public required string LastState { get; init; }
}

/// <summary>A failure acceptor matched: the resource reached a state it will not come back from.</summary>
public sealed class WaiterFailedException(string message, Exception? inner = null) : WaiterException(message, inner);

/// <summary>The maximum wait passed before success.</summary>
public sealed class WaiterTimeoutException(string message) : WaiterException(message);
