using Ops.Contracts;
using Ops.Stack.Core;
using Ops.Stack.Fleet;

namespace Ops.Stack.Rollout;

/// <summary>
/// One build run's hold on the stage's rollout: the table (created on first use), the lease (held until disposed) and the
/// newest record, shared by shutdown-ecs-workers and update-ecs in the same run. A dry run creates and holds nothing.
/// </summary>
public sealed class RolloutSession : IAsyncDisposable
{
    RolloutSession(StageContext context, RolloutOptions options, RolloutStore store, bool tableExists)
    {
        Context = context;
        Options = options;
        Store = store;
        TableExists = tableExists;
    }

    public StageContext Context { get; }

    public RolloutOptions Options { get; }

    public RolloutStore Store { get; }

    /// <summary>False on a dry run against a stage that never had a rollout (no table: no rollout in progress).</summary>
    public bool TableExists { get; }

    Task<WorkerImage>? _image;

    /// <summary>
    /// The image update-ecs pins, resolved once per run; the drain resolves it before it starts, so a slow local.prepare
    /// (or an ECR lookup) never sits between the last acknowledgement and the update.
    /// </summary>
    internal Task<WorkerImage> ImageAsync(CancellationToken ct) => _image ??= new WorkerImageResolver(Context).ResolveAsync(ct);

    /// <summary>The lease (null on a dry run).</summary>
    public RolloutLease? Lease { get; private set; }

    /// <summary>Checks the timeouts, creates the table when needed and takes the lease for the newest unfinished rollout or a new id.</summary>
    public static async Task<RolloutSession> OpenAsync(StageContext context, RolloutOptions options, CancellationToken ct)
    {
        if (options.DrainTimeout <= TimeSpan.Zero || options.UpdateTimeout <= TimeSpan.Zero)
            throw new StackException("--drain-timeout and --update-timeout must be longer than zero, like 15m");
        var store = new RolloutStore(context);
        var session = new RolloutSession(context, options, store, await store.EnsureAsync(ct));
        if (!context.DryRun)
        {
            var newest = await store.NewestAsync(ct);
            var id = newest != null && !RolloutPhase.IsTerminal(newest.Phase) ? newest.RolloutId : RolloutRecord.NewId(DateTimeOffset.UtcNow);
            session.Lease = await RolloutLease.AcquireAsync(store.Dynamo, context, options, id, ct);
        }
        return session;
    }

    /// <summary>The newest record (null: none, or no table on a dry run).</summary>
    public async Task<RolloutRecord?> NewestAsync(CancellationToken ct) => TableExists ? await Store.NewestAsync(ct) : null;

    /// <summary>A new record for this run's rollout id, in <paramref name="phase"/>.</summary>
    public RolloutRecord NewRecord(string phase, DrainStrategy strategy)
    {
        var now = DateTimeOffset.UtcNow;
        var id = Lease?.RolloutId ?? RolloutRecord.NewId(now);
        var ecs = Context.Stack.Ecs;
        return new RolloutRecord
        {
            RolloutId = id,
            Stage = Context.Stack.Stage,
            Cluster = ecs.Cluster,
            Service = ecs.Service,
            Strategy = strategy,
            Phase = phase,
            Holder = Options.Holder,
            StartedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>The record this run saved last (on a dry run: would have saved); null before the first.</summary>
    public RolloutRecord? Last { get; private set; }

    /// <summary>Writes the record (never on a dry run), as this run's holder.</summary>
    public async Task SaveAsync(RolloutRecord record, CancellationToken ct)
    {
        Last = record;
        if (Context.DryRun) return;
        record.Holder = Options.Holder;
        if (Lease != null) Lease.RolloutId = record.RolloutId;
        await Store.SaveAsync(record, ct);
    }

    /// <summary>Runs <paramref name="work"/> cancelled when the lease is lost; that loss becomes a <see cref="CloudStateException"/>.</summary>
    public async Task<T> GuardAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, Lease?.Lost ?? CancellationToken.None);
        try
        {
            return await work(linked.Token);
        }
        catch (OperationCanceledException) when (Lease?.LostReason is { } reason && !ct.IsCancellationRequested)
        {
            throw new CloudStateException(reason);
        }
    }

    /// <summary>Releases the stage's lease now (destroy, before it deletes the table the lease lives in); a no-op without one.</summary>
    public async Task ReleaseLeaseAsync()
    {
        if (Lease == null) return;
        await Lease.DisposeAsync();
        Lease = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Lease != null) await Lease.DisposeAsync();
        Store.Dispose();
    }
}
