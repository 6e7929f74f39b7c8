using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Ops.Aws.Serialization;

namespace Ops.Aws.Waiters;

/// <summary>Runs a waiter: poll, match acceptors in model order, back off exponentially with jitter, honour cancellation.</summary>
public static class Waiter
{
    public static async Task<T> WaitAsync<T>(WaiterDefinition definition, Func<CancellationToken, Task<T>> call, WaiterOptions? options,
        CancellationToken cancellationToken)
    {
        options ??= new WaiterOptions();
        var minDelay = options.MinDelay ?? TimeSpan.FromSeconds(definition.DelaySeconds);
        var maxDelay = options.MaxDelay ?? TimeSpan.FromSeconds(Math.Max(120, definition.DelaySeconds));
        if (maxDelay < minDelay) maxDelay = minDelay;
        var maxWait = options.MaxWait ?? TimeSpan.FromSeconds(definition.DelaySeconds * (double)definition.MaxAttempts);
        var clock = Stopwatch.StartNew();

        for (var attempt = 1; ; attempt++)
        {
            T? response = default;
            AmazonServiceException? error = null;
            try
            {
                response = await call(cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException e)
            {
                error = e;
            }

            var json = error == null ? JsonSerializer.SerializeToNode(response, AwsJson.Options) : null;
            var (state, description) = Match(definition, json, error);
            switch (state)
            {
                case WaiterState.Success:
                    return response!;
                case WaiterState.Failure:
                    throw new WaiterFailedException(
                        $"Waiter {definition.Name} failed after {Seconds(clock.Elapsed)}: {description}.", error)
                    { Waiter = definition.Name, LastState = description };
                case null when error != null:
                    throw error; // an error no acceptor expects is the caller's to see
            }

            var delay = Delay(attempt, minDelay, maxDelay);
            var remaining = maxWait - clock.Elapsed;
            if (remaining <= TimeSpan.Zero || (remaining < minDelay && attempt > 1))
                throw new WaiterTimeoutException(
                    $"Waiter {definition.Name} gave up after {Seconds(clock.Elapsed)} and {attempt} attempt(s); last state: {description}.")
                { Waiter = definition.Name, LastState = description };
            if (delay > remaining) delay = remaining;
            options.Progress?.Invoke(new WaiterProgress(definition.Name, attempt, clock.Elapsed, description, delay));
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first acceptor that matches decides; null when none does (retry, or rethrow an error).</summary>
    internal static (WaiterState? State, string Description) Match(WaiterDefinition definition, JsonNode? response, AmazonServiceException? error)
    {
        foreach (var acceptor in definition.Acceptors)
        {
            if (error != null)
            {
                if (acceptor.Matcher == WaiterMatcher.Error && ErrorMatches(acceptor, error))
                    return (acceptor.State, $"error {error.ErrorCode}");
                if (acceptor.Matcher == WaiterMatcher.Status && acceptor.Expected?.GetValue<int>() == (int)error.StatusCode)
                    return (acceptor.State, $"HTTP {(int)error.StatusCode}");
                continue;
            }
            switch (acceptor.Matcher)
            {
                case WaiterMatcher.Status when acceptor.Expected?.GetValue<int>() == 200:
                    return (acceptor.State, "HTTP 200");
                case WaiterMatcher.Error when acceptor.Expected is JsonValue v && v.GetValueKind() == JsonValueKind.False:
                    return (acceptor.State, "no error");
                case WaiterMatcher.Path or WaiterMatcher.PathAll or WaiterMatcher.PathAny:
                    var value = JmesPath.Evaluate(acceptor.Argument!, response);
                    if (PathMatches(acceptor.Matcher, value, acceptor.Expected))
                        return (acceptor.State, Describe(acceptor.Argument!, value));
                    break;
            }
        }
        return (null, error != null ? $"error {error.ErrorCode}" : DescribeDefault(definition, response));
    }

    static bool ErrorMatches(Acceptor acceptor, AmazonServiceException error) => acceptor.Expected switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() == error.ErrorCode,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        _ => false,
    };

    internal static bool PathMatches(WaiterMatcher matcher, JsonNode? value, JsonNode? expected) => matcher switch
    {
        WaiterMatcher.Path => JsonNode.DeepEquals(value, expected),
        WaiterMatcher.PathAll => value is JsonArray { Count: > 0 } all && all.All(e => JsonNode.DeepEquals(e, expected)),
        WaiterMatcher.PathAny => value is JsonArray any && any.Any(e => JsonNode.DeepEquals(e, expected)),
        _ => false,
    };

    /// <summary>Describes the resource by the first success acceptor's path, so progress reads "DBInstances[].DBInstanceStatus = ["creating"]".</summary>
    static string DescribeDefault(WaiterDefinition definition, JsonNode? response)
    {
        var path = definition.Acceptors.FirstOrDefault(a => a.Argument != null && a.State == WaiterState.Success)?.Argument
                   ?? definition.Acceptors.FirstOrDefault(a => a.Argument != null)?.Argument;
        return path == null ? "no acceptor matched" : Describe(path, JmesPath.Evaluate(path, response));
    }

    static string Describe(string path, JsonNode? value) =>
        $"{path} = {value?.ToJsonString() ?? "null"}";

    /// <summary>Exponential backoff with jitter (the SDK waiter rule): uniform in [min, min·2^(n-1)], capped at max.</summary>
    internal static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max)
    {
        var ceiling = min.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        ceiling = Math.Min(ceiling, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(min.TotalMilliseconds + Random.Shared.NextDouble() * (ceiling - min.TotalMilliseconds));
    }

    static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.#} s";
}
