using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>
/// The ECS scheduler and task lifecycle: launches and stops tasks (telling the <see cref="ITaskRunner"/>),
/// places them on container instances, derives a task's status from the clock (PROVISIONING → PENDING →
/// RUNNING; DEACTIVATING → STOPPED), and keeps each service at its desired count, rolling deployments
/// within minimumHealthyPercent/maximumPercent and leaving scale-in-protected tasks alone. With a runner that
/// reports (<paramref name="reports"/>: the process task runner), a task's status is what its processes did instead.
/// Called under the ECS service's lock.
/// </summary>
internal sealed class EcsScheduler(TimeSpan delay, ITaskRunner? runner, bool reports, Func<EcsState> state)
{
    /// <summary>A task that ran at least this long before it stopped on its own was healthy: the service's failure count restarts.</summary>
    static readonly TimeSpan HealthyRun = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a task run by the process task runner must have been RUNNING before its deployment can complete (ECS
    /// completes a deployment only once the service is steady): a task that exits sooner still counts as failed.
    /// </summary>
    public static readonly TimeSpan SteadyRun = TimeSpan.FromSeconds(3);

    /// <summary>The longest a service waits before replacing failed tasks again.</summary>
    static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    // ---------------- task lifecycle ----------------

    /// <summary>A task's lastStatus at <paramref name="now"/>, each step taking the configured delay.</summary>
    public string LastStatus(EcsTask t, DateTimeOffset now)
    {
        if (t.Reported)
            return t.StoppedAt != null ? "STOPPED" : t.StopRequested != null ? "DEACTIVATING" : t.RunningSince != null ? "RUNNING" : "PENDING";
        if (t.StopRequested is { } stop)
            return delay > TimeSpan.Zero && now < stop + delay ? "DEACTIVATING" : "STOPPED";
        var age = now - t.Created;
        if (delay > TimeSpan.Zero && age < delay) return "PROVISIONING";
        if (delay > TimeSpan.Zero && age < delay * 2) return "PENDING";
        return "RUNNING";
    }

    public static string DesiredStatus(EcsTask t) => t.StopRequested == null ? "RUNNING" : "STOPPED";

    /// <summary>When the task reached RUNNING (null: not, or not yet).</summary>
    public DateTimeOffset? StartedAt(EcsTask t, DateTimeOffset now)
    {
        if (t.Reported) return t.RunningSince;
        var at = t.Created + delay * 2;
        return at <= (t.StopRequested ?? now) ? at : null;
    }

    /// <summary>When the task was STOPPED (null: not yet).</summary>
    public DateTimeOffset? StoppedAt(EcsTask t, DateTimeOffset now)
    {
        if (t.Reported) return t.StoppedAt;
        return t.StopRequested is { } stop && LastStatus(t, now) == "STOPPED" ? stop + delay : null;
    }

    public static bool IsProtected(EcsTask task, DateTimeOffset now) => task.ProtectedUntil is { } until && until > now;

    /// <summary>Creates a task in the cluster and has the runner start whatever runs behind it (a service's tasks are startedBy their deployment id).</summary>
    public EcsTask Launch(EcsCluster cluster, string taskDefinition, EcsContainerInstance? instance, string group, string? startedBy, string? deployment,
        string launchType, DateTimeOffset now,
        JsonObject? overrides = null)
    {
        var task = new EcsTask
        {
            Id = Guid.NewGuid().ToString("N"),
            TaskDefinition = taskDefinition,
            ContainerInstance = instance?.Id,
            Group = group,
            StartedBy = startedBy,
            DeploymentId = deployment,
            LaunchType = launchType,
            Created = now,
            Reported = reports,
            Overrides = overrides?.DeepClone().AsObject(),
        };
        cluster.Tasks.Add(task);
        runner?.Started(ForRunner(cluster, task));
        return task;
    }

    /// <summary>Asks a task to stop (once) with a reason and stop code, and tells the runner.</summary>
    public void Stop(EcsCluster cluster, EcsTask task, string reason, string code, DateTimeOffset now)
    {
        if (task.StopRequested != null) return;
        task.StopRequested = now;
        task.StoppedReason = reason;
        task.StopCode = code;
        runner?.Stopping(ForRunner(cluster, task), reason);
    }

    /// <summary>
    /// The runner says the task's processes are gone. Nothing had asked it to stop: it takes the runner's code and reason,
    /// and a service task that failed soon after starting (or never started) makes its service wait before the next
    /// launch (0 s after the first failure, then 1 s, 2 s, 4 s… up to 5 minutes). A task of the PRIMARY deployment
    /// while it is IN_PROGRESS counts as one of its failedTasks, and trips the circuit breaker at its threshold.
    /// </summary>
    public void Stopped(EcsCluster cluster, EcsTask task, Tasks.TaskExit exit, RequestContext c)
    {
        if (task.StoppedAt != null) return;
        task.StoppedAt = exit.At;
        task.Exits = exit.Containers.ToList();
        task.Runner ??= exit.Runner;
        if (task.StopRequested != null || exit.StopCode == null)
        {
            task.StopRequested ??= exit.At;
            return;
        }
        task.StopRequested = exit.At;
        task.StopCode = exit.StopCode;
        task.StoppedReason = exit.StoppedReason;
        if (!task.Group.StartsWith("service:", StringComparison.Ordinal) || !cluster.Services.TryGetValue(task.Group["service:".Length..], out var service)) return;
        var healthy = task.RunningSince is { } since && exit.At - since >= HealthyRun;
        service.FailedTasks = healthy ? 1 : service.FailedTasks + 1;
        var wait = service.FailedTasks <= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, service.FailedTasks - 2), MaxBackoff.TotalSeconds));
        service.LaunchNotBefore = exit.At + wait;

        var primary = service.Deployments[0];
        if (task.DeploymentId != primary.Id || primary.RolloutState != "IN_PROGRESS") return;
        primary.FailedTasks++;
        primary.Updated = c.Now;
        if (service.CircuitBreakerEnable && primary.FailedTasks >= FailureThreshold(service.DesiredCount)) Trip(service, primary, c);
    }

    /// <summary>ECS's circuit-breaker threshold: half the desired count (rounded up), at least 3 and at most 200.</summary>
    public static int FailureThreshold(int desiredCount) => Math.Clamp((int)Math.Ceiling(desiredCount * 0.5), 3, 200);

    /// <summary>
    /// The circuit breaker trips: the deployment is FAILED and launches nothing more; with rollback on (and not itself a
    /// rollback) a new PRIMARY deployment of the last COMPLETED deployment's task definition replaces it.
    /// </summary>
    static void Trip(EcsServiceState service, EcsDeployment failed, RequestContext c)
    {
        failed.RolloutState = "FAILED";
        failed.RolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.";
        failed.Updated = c.Now;
        AddEvent(service, c, $"(service {service.Name}) (deployment {failed.Id}) deployment failed: tasks failed to start.");
        if (!service.CircuitBreakerRollback || failed.Rollback) return;
        var (toId, toTaskDefinition) = LastCompleted(service, failed);
        if (toId == null || toTaskDefinition == null)
        {
            AddEvent(service, c, $"(service {service.Name}) (deployment {failed.Id}) was not rolled back: the service has no deployment that completed.");
            return;
        }
        foreach (var d in service.Deployments) d.Status = "ACTIVE";
        var back = NewDeployment(toTaskDefinition, c.Now);
        back.Rollback = true;
        back.RolloutStateReason = $"ECS deployment circuit breaker: rolling back to deploymentId {toId}.";
        service.Deployments.Insert(0, back);
        service.Steady = false;
        service.FailedTasks = 0;
        service.LaunchNotBefore = null;
        AddEvent(service, c, $"(service {service.Name}) (deployment {failed.Id}) rolling back to deployment {toId} (task definition {toTaskDefinition}).");
    }

    /// <summary>The last deployment that completed (kept on the service; for older state, a COMPLETED deployment still listed).</summary>
    static (string? Id, string? TaskDefinition) LastCompleted(EcsServiceState service, EcsDeployment failed)
    {
        if (service.LastCompletedDeployment != null && service.LastCompletedTaskDefinition != null)
            return (service.LastCompletedDeployment, service.LastCompletedTaskDefinition);
        var listed = service.Deployments.FirstOrDefault(d => d != failed && d.RolloutState == "COMPLETED");
        return (listed?.Id, listed?.TaskDefinition);
    }

    /// <summary>
    /// The next moment the scheduler has something to do without a request: a service's launch backoff ends, a service
    /// task's protection expires, or a service task has run long enough for its deployment to complete.
    /// </summary>
    public DateTimeOffset? NextWake(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var cluster in state().Clusters.Values)
        {
            foreach (var service in cluster.Services.Values)
                if (service.Status != "INACTIVE" && service.LaunchNotBefore is { } at && at > now && (next == null || at < next)) next = at;
            foreach (var task in cluster.Tasks.Where(t => t.StopRequested == null && t.Group.StartsWith("service:", StringComparison.Ordinal)))
            {
                if (task.ProtectedUntil is { } until && until > now && (next == null || until < next)) next = until;
                if (task.RunningSince is { } since && since + SteadyRun > now && (next == null || since + SteadyRun < next)) next = since + SteadyRun;
            }
        }
        return next;
    }

    LocalTask ForRunner(EcsCluster cluster, EcsTask task)
    {
        var spec = state().TaskDefinitionSpec(task.TaskDefinition);
        return new LocalTask(cluster.Name, task.Id, task.TaskDefinition, task.Group,
            WithOverrides(spec?["containerDefinitions"]?.DeepClone().AsArray() ?? [], task.Overrides),
            (string?)task.Overrides?["taskRoleArn"] ?? (string?)spec?["taskRoleArn"]);
    }

    /// <summary>
    /// The containers as the task runs them: each containerOverride's <c>command</c> replaces its container's (for a
    /// local command, the whole argv: see <see cref="Tasks.ContainerLaunch.OverrideCommandKey"/>) and its
    /// <c>environment</c> entries replace or add the container's variables of the same name.
    /// </summary>
    static JsonArray WithOverrides(JsonArray containers, JsonObject? overrides)
    {
        foreach (var o in (overrides?["containerOverrides"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (containers.OfType<JsonObject>().FirstOrDefault(c => (string?)c["name"] == (string?)o["name"]) is not { } container) continue;
            if (o["command"] is JsonArray command)
            {
                container["command"] = command.DeepClone();
                container[Tasks.ContainerLaunch.OverrideCommandKey] = command.DeepClone();
            }
            if (o["environment"] is JsonArray environment)
            {
                var merged = (container["environment"] as JsonArray ?? []).OfType<JsonObject>()
                    .Where(e => environment.OfType<JsonObject>().All(n => (string?)n["name"] != (string?)e["name"]))
                    .Concat(environment.OfType<JsonObject>()).Select(e => (JsonNode?)e.DeepClone()).ToArray();
                container["environment"] = new JsonArray(merged);
            }
        }
        return containers;
    }

    /// <summary>The ACTIVE container instance with the fewest live tasks, or null when there is none.</summary>
    public static EcsContainerInstance? Place(EcsCluster cluster) =>
        cluster.Instances.Where(x => x.Status == "ACTIVE").OrderBy(x => cluster.Tasks.Count(t => t.ContainerInstance == x.Id
            && t.StopRequested == null)).FirstOrDefault();

    /// <summary>The service's tasks that have not been asked to stop.</summary>
    public static IEnumerable<EcsTask> ServiceTasks(EcsCluster cluster, EcsServiceState service) =>
        cluster.Tasks.Where(t => t.Group == $"service:{service.Name}" && t.StopRequested == null);

    // ---------------- services ----------------

    /// <summary>A new PRIMARY deployment of <paramref name="taskDefinition"/>.</summary>
    public static EcsDeployment NewDeployment(string taskDefinition, DateTimeOffset now)
    {
        var id = "ecs-svc/" + Random.Shared.NextInt64(1_000_000_000_000_000, 9_999_999_999_999_999);
        return new EcsDeployment { Id = id, TaskDefinition = taskDefinition, Created = now, Updated = now, RolloutStateReason = $"ECS deployment {id} in progress." };
    }

    /// <summary>Adds a service event (newest first, the last 100 kept).</summary>
    public static void AddEvent(EcsServiceState service, RequestContext c, string message)
    {
        service.Events.Insert(0, new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["createdAt"] = c.Now.ToString("O"), ["message"] = message });
        if (service.Events.Count > 100) service.Events.RemoveAt(service.Events.Count - 1);
    }

    /// <summary>Brings every cluster up to date (before any request that reads or changes tasks).</summary>
    public void ReconcileAll(RequestContext c)
    {
        foreach (var cluster in state().Clusters.Values) Reconcile(cluster, c);
    }

    /// <summary>Brings every active service of the cluster towards its desired state, as the ECS scheduler would.</summary>
    public void Reconcile(EcsCluster cluster, RequestContext c)
    {
        foreach (var service in cluster.Services.Values.Where(s => s.Status != "INACTIVE"))
        {
            var primary = service.Deployments[0];
            var live = ServiceTasks(cluster, service).ToList();
            var primaryTasks = live.Where(t => t.DeploymentId == primary.Id).ToList();
            var oldTasks = live.Where(t => t.DeploymentId != primary.Id).ToList();
            var maxTotal = (int)Math.Floor(service.DesiredCount * service.MaximumPercent / 100.0);
            var minHealthy = (int)Math.Ceiling(service.DesiredCount * service.MinimumHealthyPercent / 100.0);

            // Start primary tasks, within maximumPercent of all live tasks (none while the service backs off after failures,
            // none for a deployment the circuit breaker failed).
            var failed = primary.RolloutState == "FAILED";
            var room = Math.Min(service.DesiredCount - primaryTasks.Count, Math.Max(0, maxTotal - live.Count));
            if (oldTasks.Count == 0) room = service.DesiredCount - primaryTasks.Count;
            if ((service.LaunchNotBefore is { } notBefore && c.Now < notBefore) || failed) room = 0;
            var started = new List<string>();
            for (var n = 0; n < room; n++)
            {
                var instance = service.LaunchType == "FARGATE" ? null : Place(cluster);
                if (service.LaunchType != "FARGATE" && instance == null)
                {
                    AddEvent(service, c, $"(service {service.Name}) was unable to place a task because no container instance met all of its requirements.");
                    break;
                }
                var task = Launch(cluster, primary.TaskDefinition, instance, $"service:{service.Name}", primary.Id, primary.Id, service.LaunchType, c.Now);
                primaryTasks.Add(task);
                live.Add(task);
                started.Add(task.Id);
            }
            if (started.Count > 0) AddEvent(service, c, $"(service {service.Name}) has started {started.Count} tasks: {string.Join(' ', started.Select(id => $"(task {id})"))}.");

            // Stop old-deployment tasks while enough tasks stay running (minimumHealthyPercent); protected ones wait. A
            // failed deployment leaves the old tasks serving.
            var running = live.Count(t => LastStatus(t, c.Now) == "RUNNING");
            var stopped = new List<string>();
            foreach (var old in failed ? Enumerable.Empty<EcsTask>() : oldTasks.OrderBy(t => LastStatus(t, c.Now) == "RUNNING"))
            {
                if (IsProtected(old, c.Now)) continue;
                var isRunning = LastStatus(old, c.Now) == "RUNNING";
                if (isRunning && running - 1 < minHealthy) break;
                Stop(cluster, old, $"Task stopped by deployment {primary.Id} of service {service.Name}", "ServiceSchedulerInitiated", c.Now);
                if (isRunning) running--;
                stopped.Add(old.Id);
            }
            // Scale in: more primary tasks than desired; unprotected ones go, those not yet running first.
            var excess = primaryTasks.Count(t => t.StopRequested == null) - service.DesiredCount;
            foreach (var extra in primaryTasks.Where(t => t.StopRequested == null && !IsProtected(t, c.Now))
                         .OrderBy(t => LastStatus(t, c.Now) == "RUNNING").Take(Math.Max(0, excess)).ToList())
            {
                Stop(cluster, extra, $"Scaling activity initiated by (deployment {primary.Id})", "ServiceSchedulerInitiated", c.Now);
                stopped.Add(extra.Id);
            }
            if (stopped.Count > 0) AddEvent(service, c, $"(service {service.Name}) has stopped {stopped.Count} running tasks: {string.Join(' ', stopped.Select(id => $"(task {id})"))}.");

            // Old deployments with no tasks left are done (a FAILED one stays listed until the deployment after it
            // completes); the primary completes at desired count.
            var remaining = ServiceTasks(cluster, service).ToList();
            service.Deployments.RemoveAll(d => d != primary && d.RolloutState != "FAILED" && remaining.All(t => t.DeploymentId != d.Id));
            var primaryRunning = remaining.Count(t => t.DeploymentId == primary.Id && LastStatus(t, c.Now) == "RUNNING"
                && (!t.Reported || c.Now - t.RunningSince >= SteadyRun));
            if (!failed && primaryRunning == service.DesiredCount && remaining.All(t => t.DeploymentId == primary.Id))
            {
                service.Deployments.RemoveAll(d => d != primary);
                if (primary.RolloutState != "COMPLETED")
                {
                    primary.RolloutState = "COMPLETED";
                    primary.RolloutStateReason = $"ECS deployment {primary.Id} completed.";
                    primary.Updated = c.Now;
                    service.LastCompletedDeployment = primary.Id;
                    service.LastCompletedTaskDefinition = primary.TaskDefinition;
                }
                if (!service.Steady)
                {
                    service.Steady = true;
                    AddEvent(service, c, $"(service {service.Name}) has reached a steady state.");
                }
            }
            if (service.Status == "DRAINING" && remaining.Count == 0) service.Status = "INACTIVE";
        }
    }
}
