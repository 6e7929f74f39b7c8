using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>ECS tasks: run, start, stop, describe, list, and task scale-in protection.</summary>
internal sealed partial class EcsService
{
    JsonNode? RunTask(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var (family, td) = State.FindTaskDefinition(Required(i, "taskDefinition"));
        var launchType = Optional(i, "launchType") ?? "EC2";
        var count = Number(i, "count") ?? 1;
        if (count is < 1 or > 10)
            throw new AwsError("InvalidParameterException", $"The count parameter must be between 1 and 10 (you can run up to 10 tasks per call); got {count}.");
        var tasks = new JsonArray();
        var failures = new JsonArray();
        for (var n = 0; n < count; n++)
        {
            var instance = launchType == "FARGATE" ? null : EcsScheduler.Place(cluster);
            if (launchType != "FARGATE" && instance == null) { failures.Add(Failure(null, "RESOURCE:CPU")); continue; }
            var task = _scheduler.Launch(cluster, TaskDefinitionArn(c, family, td.Revision), instance, Optional(i, "group") ?? $"family:{family}", Optional(i, "startedBy"), null, launchType,
                c.Now,
                Overrides(i, td));
            tasks.Add(TaskView(cluster, task, c));
        }
        return new JsonObject { ["tasks"] = tasks, ["failures"] = failures };
    });

    JsonNode? StartTask(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var (family, td) = State.FindTaskDefinition(Required(i, "taskDefinition"));
        var tasks = new JsonArray();
        foreach (var id in Strings(i, "containerInstances"))
        {
            var instance = FindInstance(cluster, id);
            var task = _scheduler.Launch(cluster, TaskDefinitionArn(c, family, td.Revision), instance, Optional(i, "group") ?? $"family:{family}", Optional(i, "startedBy"), null, "EC2", c.Now,
                Overrides(i, td));
            tasks.Add(TaskView(cluster, task, c));
        }
        return new JsonObject { ["tasks"] = tasks, ["failures"] = new JsonArray() };
    });

    /// <summary>RunTask's overrides, each containerOverride naming a container of the definition (as AWS checks).</summary>
    static JsonObject? Overrides(JsonObject i, EcsTaskDefinition td)
    {
        if (i["overrides"] is not JsonObject overrides) return null;
        var names = (td.Spec["containerDefinitions"] as JsonArray ?? []).Select(d => (string?)d?["name"]).ToHashSet();
        foreach (var o in overrides["containerOverrides"] as JsonArray ?? [])
            if (!names.Contains((string?)o?["name"]))
                throw new AwsError("InvalidParameterException", $"Override for container named {(string?)o?["name"]} is not a container in the TaskDefinition.");
        return overrides;
    }

    JsonNode? StopTask(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var task = FindTask(cluster, Required(i, "task"));
        _scheduler.Stop(cluster, task, Optional(i, "reason") ?? "Task stopped by user", "UserInitiated", c.Now);
        return new JsonObject { ["task"] = TaskView(cluster, task, c) };
    });

    JsonNode? DescribeTasks(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var found = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in Strings(i, "tasks"))
        {
            var task = cluster.Tasks.FirstOrDefault(t => t.Id == Tail(id));
            if (task != null) found.Add(TaskView(cluster, task, c)); else failures.Add(Failure(id, "MISSING"));
        }
        return new JsonObject { ["tasks"] = found, ["failures"] = failures };
    });

    JsonNode? ListTasks(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var desired = Optional(i, "desiredStatus") ?? "RUNNING";
        var service = Optional(i, "serviceName");
        var family = Optional(i, "family");
        var startedBy = Optional(i, "startedBy");
        var instance = Optional(i, "containerInstance");
        var tasks = cluster.Tasks.Where(t =>
            EcsScheduler.DesiredStatus(t) == desired
            && (service == null || t.Group == $"service:{Tail(service)}")
            && (family == null || t.TaskDefinition.Contains($"/{family}:", StringComparison.Ordinal))
            && (startedBy == null || t.StartedBy == startedBy)
            && (instance == null || t.ContainerInstance == Tail(instance)));
        return Paginate(i, tasks.Select(t => (JsonNode?)TaskArn(c, cluster, t)), "taskArns", "nextToken", "maxResults", 100);
    });

    /// <summary>
    /// Task scale-in protection for up to 10 service tasks (a standalone or stopped task is a TASK_NOT_VALID failure),
    /// for 1–2880 minutes (default 120). Clearing it lets the scheduler stop the task at once if a deployment or a
    /// scale-in waits for it.
    /// </summary>
    JsonNode? UpdateTaskProtection(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = FindCluster(Required(i, "cluster"));
        var ids = Strings(i, "tasks").ToList();
        if (ids.Count is < 1 or > 10)
            throw new AwsError("InvalidParameterException", $"The tasks parameter must list between 1 and 10 task IDs or ARNs; got {ids.Count}.");
        var enabled = Flag(i, "protectionEnabled");
        var minutes = Number(i, "expiresInMinutes") ?? 120;
        if (enabled && minutes is < 1 or > 2880)
            throw new AwsError("InvalidParameterException", $"The expiresInMinutes parameter must be between 1 and 2880 (48 hours); got {minutes}.");
        var result = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in ids)
        {
            var task = cluster.Tasks.FirstOrDefault(t => t.Id == Tail(id));
            if (task == null || _scheduler.LastStatus(task, c.Now) == "STOPPED" || !task.Group.StartsWith("service:", StringComparison.Ordinal))
            {
                failures.Add(Failure(task == null ? id : TaskArn(c, cluster, task), "TASK_NOT_VALID"));
                continue;
            }
            task.ProtectedUntil = enabled ? c.Now.AddMinutes(minutes) : null;
            result.Add(ProtectionView(cluster, task, c));
        }
        _scheduler.Reconcile(cluster, c);
        return new JsonObject { ["protectedTasks"] = result, ["failures"] = failures };
    });

    JsonNode? GetTaskProtection(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = FindCluster(Required(i, "cluster"));
        var ids = Strings(i, "tasks").ToList();
        if (ids.Count > 100)
            throw new AwsError("InvalidParameterException", $"The tasks parameter can list at most 100 task IDs or ARNs; got {ids.Count}.");
        var result = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in ids)
        {
            var task = cluster.Tasks.FirstOrDefault(t => t.Id == Tail(id));
            if (task == null) failures.Add(Failure(id, "TASK_NOT_VALID")); else result.Add(ProtectionView(cluster, task, c));
        }
        return new JsonObject { ["protectedTasks"] = result, ["failures"] = failures };
    });

    static string TaskArn(RequestContext c, EcsCluster cluster, EcsTask t) => c.Arn("ecs", $"task/{cluster.Name}/{t.Id}");

    static EcsTask FindTask(EcsCluster cluster, string id) =>
        cluster.Tasks.FirstOrDefault(t => t.Id == Tail(id)) ?? throw new AwsError("InvalidParameterException", "The referenced task was not found.");

    JsonObject TaskView(EcsCluster cluster, EcsTask t, RequestContext c)
    {
        var last = _scheduler.LastStatus(t, c.Now);
        var o = new JsonObject
        {
            ["taskArn"] = TaskArn(c, cluster, t),
            ["clusterArn"] = ClusterArn(c, cluster.Name),
            ["taskDefinitionArn"] = t.TaskDefinition,
            ["lastStatus"] = last,
            ["desiredStatus"] = EcsScheduler.DesiredStatus(t),
            ["group"] = t.Group,
            ["startedBy"] = t.StartedBy,
            ["launchType"] = t.LaunchType,
            ["createdAt"] = t.Created.ToString("O"),
            ["containers"] = ContainersView(cluster, t, last, c),
            ["overrides"] = t.Overrides?.DeepClone() ?? new JsonObject { ["containerOverrides"] = new JsonArray() },
        };
        if (t.Runner != null) o["attributes"] = new JsonArray(new JsonObject { ["name"] = "ops.runner", ["value"] = t.Runner });
        if (t.ContainerInstance != null) o["containerInstanceArn"] = c.Arn("ecs", $"container-instance/{cluster.Name}/{t.ContainerInstance}");
        if (_scheduler.StartedAt(t, c.Now) is { } startedAt) o["startedAt"] = startedAt.ToString("O");   // it got as far as RUNNING
        if (t.StopRequested is { } stop)
        {
            o["stoppingAt"] = stop.ToString("O");
            o["stoppedReason"] = t.StoppedReason;
            o["stopCode"] = t.StopCode;
            if (_scheduler.StoppedAt(t, c.Now) is { } stoppedAt) o["stoppedAt"] = stoppedAt.ToString("O");
        }
        return o;
    }

    /// <summary>One entry per container of the task definition, with its exit code or reason once the task stopped.</summary>
    JsonArray ContainersView(EcsCluster cluster, EcsTask t, string last, RequestContext c)
    {
        var definitions = (State.TaskDefinitionSpec(t.TaskDefinition)?["containerDefinitions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var names = definitions.Count > 0 ? definitions.Select(d => (string?)d["name"] ?? "main").ToList() : ["main"];
        return new JsonArray(names.Select(name =>
        {
            var container = new JsonObject
            {
                ["containerArn"] = c.Arn("ecs", $"container/{cluster.Name}/{t.Id}/{name}"),
                ["taskArn"] = TaskArn(c, cluster, t),
                ["name"] = name,
                ["lastStatus"] = last,
            };
            if ((string?)definitions.FirstOrDefault(d => (string?)d["name"] == name)?["image"] is { } image) container["image"] = image;
            if (t.Exits?.FirstOrDefault(e => e.Name == name) is { } exit)
            {
                if (exit.ExitCode is { } code) container["exitCode"] = code;
                if (exit.Reason != null) container["reason"] = exit.Reason;
            }
            return (JsonNode?)container;
        }).ToArray());
    }

    JsonObject ProtectionView(EcsCluster cluster, EcsTask t, RequestContext c)
    {
        var o = new JsonObject { ["taskArn"] = TaskArn(c, cluster, t), ["protectionEnabled"] = EcsScheduler.IsProtected(t, c.Now) };
        if (EcsScheduler.IsProtected(t, c.Now)) o["expirationDate"] = t.ProtectedUntil!.Value.ToString("O");
        return o;
    }
}
