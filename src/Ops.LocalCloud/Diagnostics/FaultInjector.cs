using System.Collections.Concurrent;

namespace Ops.LocalCloud.Diagnostics;

/// <summary>A fault to inject: on matching calls, with the given probability (or for the first N), throttle, fail or delay.</summary>
public sealed record FaultRule
{
    /// <summary>Signing name (ecs, sqs…); null matches every service.</summary>
    public string? Service { get; init; }

    /// <summary>Operation name; null matches every operation.</summary>
    public string? Operation { get; init; }

    /// <summary>Fraction of matching calls affected, 0 to 1.</summary>
    public double Fraction { get; init; } = 1.0;

    /// <summary>Stop after this many injections (null: no limit).</summary>
    public int? Times { get; init; }

    /// <summary>Answer with the service's throttling error (400).</summary>
    public bool Throttle { get; init; }

    /// <summary>Answer with this 5xx status.</summary>
    public int? ServerError { get; init; }

    /// <summary>Wait this long before answering.</summary>
    public TimeSpan? Latency { get; init; }
}

/// <summary>Holds the active fault rules; the server asks it about every request before handling it.</summary>
public sealed class FaultInjector
{
    readonly ConcurrentDictionary<FaultRule, int> _rules = new();
    readonly Random _random;

    public FaultInjector(int? seed = null) => _random = seed is { } s ? new Random(s) : Random.Shared;

    public void Add(FaultRule rule) => _rules[rule] = 0;
    public void Clear() => _rules.Clear();

    /// <summary>The rule that fires for this call, if any (counting it).</summary>
    internal FaultRule? Next(string service, string operation)
    {
        foreach (var (rule, used) in _rules)
        {
            if (rule.Service != null && rule.Service != service) continue;
            if (rule.Operation != null && rule.Operation != operation) continue;
            if (rule.Times is { } times && used >= times) continue;
            lock (_random)
                if (_random.NextDouble() >= rule.Fraction) continue;
            _rules.AddOrUpdate(rule, 1, (_, n) => n + 1);
            return rule;
        }
        return null;
    }
}
