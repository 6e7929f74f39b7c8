using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Stack.Core;

namespace Ops.Stack.Rollout;

/// <summary>
/// One rollout per stage: the lease item (pk "lease", sk the stage) taken with a conditional PutItem (absent, expired,
/// or ours), renewed in the background, released with a conditional delete. A lease held by a process gone from this host
/// is taken over at once. Losing it (another run took it) cancels <see cref="Lost"/>.
/// </summary>
public sealed class RolloutLease : IAsyncDisposable
{
    readonly IAmazonDynamoDB _dynamo;
    readonly StageContext _context;
    readonly RolloutOptions _options;
    readonly string _table;
    readonly CancellationTokenSource _lost = new();
    readonly CancellationTokenSource _stop = new();
    DateTimeOffset _acquiredAt;
    Task? _renewal;

    RolloutLease(IAmazonDynamoDB dynamo, StageContext context, RolloutOptions options, string rolloutId)
    {
        _dynamo = dynamo;
        _context = context;
        _options = options;
        _table = context.Stack.Rollout.Table;
        RolloutId = rolloutId;
    }

    /// <summary>The rollout the lease is held for (written on every renewal).</summary>
    public string RolloutId { get; set; }

    /// <summary>Cancelled when a renewal finds the lease taken by another run.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Why the lease was lost (null while held).</summary>
    public string? LostReason { get; private set; }

    Dictionary<string, AttributeValue> Key => new() { ["pk"] = new() { S = "lease" }, ["sk"] = new() { S = _context.Stack.Stage } };

    /// <summary>Takes the stage's lease or throws a <see cref="CloudStateException"/> naming who holds it and since when.</summary>
    public static async Task<RolloutLease> AcquireAsync(IAmazonDynamoDB dynamo, StageContext context, RolloutOptions options, string rolloutId,
        CancellationToken ct)
    {
        var lease = new RolloutLease(dynamo, context, options, rolloutId);
        await lease.TakeAsync(ct);
        lease._renewal = lease.RenewLoopAsync();
        return lease;
    }

    async Task TakeAsync(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        _acquiredAt = now;
        try
        {
            await PutAsync("attribute_not_exists(pk) OR expires_at < :now OR holder = :me",
                new() { [":now"] = new AttributeValue { N = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) },
                    [":me"] = new AttributeValue { S = _options.Holder } }, ct);
            return;
        }
        catch (ConditionalCheckFailedException)
        {
        }
        var held = (await _dynamo.GetItemAsync(new GetItemRequest { TableName = _table, Key = Key, ConsistentRead = true }, ct)).Item;
        if (held is not { Count: > 0 })
        {
            await TakeAsync(ct); // released in between
            return;
        }
        string Text(string name) => held.TryGetValue(name, out var v) ? v.S ?? v.N ?? "" : "";
        var holder = Text("holder");
        var host = Text("host");
        var pid = int.TryParse(Text("pid"), CultureInfo.InvariantCulture, out var p) ? p : -1;
        var expires = DateTimeOffset.FromUnixTimeMilliseconds(long.TryParse(Text("expires_at"), CultureInfo.InvariantCulture, out var e) ? e : 0);
        var since = DateTimeOffset.TryParse(Text("acquired_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s)
            ? s.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "?";
        if (host == _options.Host && pid > 0 && pid != _options.Pid && !IsAlive(pid))
        {
            try
            {
                await PutAsync("holder = :old AND expires_at = :expires",
                    new() { [":old"] = new AttributeValue { S = holder }, [":expires"] = held["expires_at"] }, ct);
                _context.Log.Warning($"took over the lease of stage {_context.Stack.Stage} from {holder} (rollout {Text("rollout_id")}): that process is gone from this host");
                return;
            }
            catch (ConditionalCheckFailedException)
            {
                // Someone else took it over first: refuse below with what is there now.
            }
        }
        var left = Math.Max(0, (int)Math.Ceiling((expires - DateTimeOffset.UtcNow).TotalSeconds));
        throw new CloudStateException(
            $"another rollout of stage {_context.Stack.Stage} is in progress: held by {holder} since {since} (rollout {Text("rollout_id")}, lease expires in {left} s) — " +
            "wait for it to finish and run again; if that process is gone, the lease expires on its own");
    }

    static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    Task PutAsync(string condition, Dictionary<string, AttributeValue> values, CancellationToken ct)
    {
        var expires = DateTimeOffset.UtcNow + _options.LeaseDuration;
        var item = Key;
        item["rollout_id"] = new() { S = RolloutId };
        item["holder"] = new() { S = _options.Holder };
        item["host"] = new() { S = _options.Host };
        item["pid"] = new() { N = _options.Pid.ToString(CultureInfo.InvariantCulture) };
        item["acquired_at"] = new() { S = RolloutRecord.Time(_acquiredAt) };
        item["expires_at"] = new() { N = expires.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) };
        return _dynamo.PutItemAsync(new PutItemRequest { TableName = _table, Item = item, ConditionExpression = condition, ExpressionAttributeValues = values },
            ct);
    }

    /// <summary>Renews the lease now (also what the background loop does).</summary>
    public Task RenewAsync(CancellationToken ct) =>
        PutAsync("holder = :me", new() { [":me"] = new AttributeValue { S = _options.Holder } }, ct);

    async Task RenewLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.LeaseRenewal, _stop.Token);
                await RenewAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (ConditionalCheckFailedException)
            {
                LostReason = $"the rollout lease of stage {_context.Stack.Stage} was taken by another run while this one held it (was this process paused for more than {_options.LeaseDuration.TotalSeconds:0} s?); " +
                             "stopped this rollout — check describe-ecs and run deploy-worker again once the other run is done";
                await _lost.CancelAsync();
                return;
            }
            catch (Exception e) when (e is AmazonDynamoDBException or HttpRequestException or Amazon.Runtime.AmazonClientException)
            {
                _context.Log.Warning($"renewing the rollout lease failed ({e.Message}); retrying in {_options.LeaseRenewal.TotalSeconds:0} s");
            }
        }
    }

    /// <summary>Stops renewing and deletes the lease if it is still ours.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_renewal != null) await _renewal;
        if (LostReason == null)
        {
            try
            {
                await _dynamo.DeleteItemAsync(new DeleteItemRequest
                {
                    TableName = _table,
                    Key = Key,
                    ConditionExpression = "holder = :me",
                    ExpressionAttributeValues = new() { [":me"] = new AttributeValue { S = _options.Holder } },
                });
            }
            catch (ConditionalCheckFailedException)
            {
            }
            catch (Exception e) when (e is AmazonDynamoDBException or HttpRequestException or Amazon.Runtime.AmazonClientException)
            {
                _context.Log.Warning($"could not release the rollout lease of stage {_context.Stack.Stage} ({e.Message}); it expires on its own within {_options.LeaseDuration.TotalSeconds:0} s");
            }
        }
        _lost.Dispose();
        _stop.Dispose();
    }
}
