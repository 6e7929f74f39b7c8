using System.Text.Json.Nodes;
using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>
/// What the process task runner reports (a task's processes started, or are gone) applied under the service's lock and
/// persisted, with the scheduler run at once so a service replaces a stopped task even when nobody calls; and the
/// task's view for the metadata and agent endpoints.
/// </summary>
internal sealed partial class EcsService : ITaskHost
{
    ITimer? _wake;
    DateTimeOffset? _wakeAt;

    public void TaskStarted(string cluster, string taskId, string runner, DateTimeOffset at) => Apply(c =>
    {
        if (Find(cluster, taskId) is not { } task || task.StoppedAt != null) return;
        task.RunningSince ??= at;
        task.Runner = runner;
    });

    public void TaskStopped(string cluster, string taskId, TaskExit exit) => Apply(c =>
    {
        if (!State.Clusters.TryGetValue(cluster, out var cl) || cl.Tasks.FirstOrDefault(t => t.Id == taskId) is not { } task) return;
        _scheduler.Stopped(cl, task, exit, c);
    });

    public void Resume() => Apply(c =>
    {
        foreach (var cluster in State.Clusters.Values)
            foreach (var task in cluster.Tasks.Where(t => t.Reported && t.StoppedAt == null))
            {
                task.StopRequested ??= c.Now;
                task.StopCode ??= "TerminationNotice";
                task.StoppedReason ??= "Task stopped because the local cloud restarted: its processes did not survive the previous run";
                task.StoppedAt = c.Now;
            }
    });

    public JsonObject? TaskMetadata(string cluster, string taskId)
    {
        lock (Gate)
        {
            var c = Context();
            if (!State.Clusters.TryGetValue(cluster, out var cl) || cl.Tasks.FirstOrDefault(t => t.Id == taskId) is not { } task) return null;
            var view = TaskView(cl, task, c);
            var (family, revision) = FamilyAndRevision(task.TaskDefinition);
            var definitions = (State.TaskDefinitionSpec(task.TaskDefinition)?["containerDefinitions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            var containers = new JsonArray((view["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(x =>
            {
                var name = (string)x["name"]!;
                var definition = definitions.FirstOrDefault(d => (string?)d["name"] == name);
                var m = new JsonObject
                {
                    ["DockerId"] = $"{taskId}-{name}",
                    ["Name"] = name,
                    ["DockerName"] = $"ecs-{family}-{revision}-{name}",
                    ["Image"] = (string?)x["image"],
                    ["ImageID"] = (string?)x["image"],
                    ["Labels"] = new JsonObject
                    {
                        ["com.amazonaws.ecs.cluster"] = view["clusterArn"]!.DeepClone(),
                        ["com.amazonaws.ecs.container-name"] = name,
                        ["com.amazonaws.ecs.task-arn"] = view["taskArn"]!.DeepClone(),
                        ["com.amazonaws.ecs.task-definition-family"] = family,
                        ["com.amazonaws.ecs.task-definition-version"] = revision,
                    },
                    ["DesiredStatus"] = view["desiredStatus"]!.DeepClone(),
                    ["KnownStatus"] = view["lastStatus"]!.DeepClone(),
                    ["CreatedAt"] = view["createdAt"]!.DeepClone(),
                    ["Type"] = "NORMAL",
                    ["ContainerARN"] = x["containerArn"]!.DeepClone(),
                };
                if (view["startedAt"] is { } started) m["StartedAt"] = started.DeepClone();
                if (x["exitCode"] is { } code) m["ExitCode"] = code.DeepClone();
                if (definition?["logConfiguration"] is JsonObject log)
                {
                    m["LogDriver"] = log["logDriver"]?.DeepClone();
                    m["LogOptions"] = log["options"]?.DeepClone();
                }
                return (JsonNode?)m;
            }).ToArray());
            var o = new JsonObject
            {
                ["Cluster"] = view["clusterArn"]!.DeepClone(),
                ["TaskARN"] = view["taskArn"]!.DeepClone(),
                ["Family"] = family,
                ["Revision"] = revision,
                ["DesiredStatus"] = view["desiredStatus"]!.DeepClone(),
                ["KnownStatus"] = view["lastStatus"]!.DeepClone(),
                ["Containers"] = containers,
                ["LaunchType"] = task.LaunchType,
                ["AvailabilityZone"] = $"{_options.Region}a",
            };
            if (view["startedAt"] is { } at) o["PullStartedAt"] = view["createdAt"]!.DeepClone();
            return o;
        }
    }

    public async Task<TaskProtection> ProtectionAsync(string cluster, string taskId, bool? enable, int expiresInMinutes, CancellationToken cancellationToken)
    {
        TaskProtection result;
        lock (Gate)
        {
            var c = Context();
            if (!State.Clusters.TryGetValue(cluster, out var cl) || cl.Tasks.FirstOrDefault(t => t.Id == taskId) is not { } task)
                return new TaskProtection(c.Arn("ecs", $"task/{cluster}/{taskId}"), false, null, "TASK_NOT_VALID");
            var arn = TaskArn(c, cl, task);
            if (enable is { } on)
            {
                if (_scheduler.LastStatus(task, c.Now) == "STOPPED") return new TaskProtection(arn, false, null, "TASK_NOT_VALID");
                task.ProtectedUntil = on ? c.Now.AddMinutes(expiresInMinutes) : null;
                _scheduler.ReconcileAll(c);   // a task that is no longer protected may be stopped at once, as ECS does within seconds
                ScheduleWake(c.Now);
                Persist();
            }
            var active = EcsScheduler.IsProtected(task, c.Now);
            result = new TaskProtection(arn, active, active ? task.ProtectedUntil : null);
        }
        if (enable != null) await _store.WhenDurableAsync(cancellationToken: cancellationToken);
        return result;
    }

    /// <summary>A change from the runner: applied under the lock with the scheduler run after it, persisted, and flushed in the background.</summary>
    void Apply(Action<RequestContext> change)
    {
        lock (Gate)
        {
            var c = Context();
            change(c);
            _scheduler.ReconcileAll(c);
            ScheduleWake(c.Now);
            Persist();
        }
        _ = FlushAsync();
    }

    async Task FlushAsync()
    {
        try
        {
            await _store.WhenDurableAsync();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The store reports its failure to the next request that waits on it; a disposed store means the cloud is stopping.
        }
    }

    /// <summary>
    /// With task processes running (no request needs to come), runs the scheduler again when it next has work of its
    /// own (see <see cref="EcsScheduler.NextWake"/>). Called under the lock.
    /// </summary>
    void ScheduleWake(DateTimeOffset now)
    {
        if (_processes == null || _scheduler.NextWake(now) is not { } at) return;
        if (_wakeAt is { } pending && pending > now && pending <= at) return;   // a run is already due sooner
        var due = at - now + TimeSpan.FromMilliseconds(10);
        if (due > MaxWake) due = MaxWake;   // far-off moments (a 48-hour protection, a clock moved by hand) are looked at again hourly
        _wake?.Dispose();
        _wakeAt = now + due;
        _wake = _options.Clock.CreateTimer(_ => Apply(_ => { }), null, due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The longest the scheduler sleeps between runs when it has something to do later.</summary>
    static readonly TimeSpan MaxWake = TimeSpan.FromHours(1);

    /// <summary>What a request would know, for changes no request made.</summary>
    RequestContext Context() => new(_options.Account, _options.Region, Guid.NewGuid().ToString(), _options.Clock.GetUtcNow(), _processes?.Url ?? new Uri("http://127.0.0.1/"));

    EcsTask? Find(string cluster, string taskId) =>
        State.Clusters.TryGetValue(cluster, out var cl) ? cl.Tasks.FirstOrDefault(t => t.Id == taskId) : null;

    static (string Family, string Revision) FamilyAndRevision(string taskDefinitionArn)
    {
        var name = Tail(taskDefinitionArn);
        var colon = name.LastIndexOf(':');
        return colon < 0 ? (name, "") : (name[..colon], name[(colon + 1)..]);
    }
}
