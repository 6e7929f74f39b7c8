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
        var tasks = new JsonArray();
        var failures = new JsonArray();
        for (var n = 0; n < (Number(i, "count") ?? 1); n++)
        {
            var instance = launchType == "FARGATE" ? null : EcsScheduler.Place(cluster);
            if (launchType != "FARGATE" && instance == null) { failures.Add(Failure(null, "RESOURCE:CPU")); continue; }
            var task = _scheduler.Launch(cluster, TaskDefinitionArn(c, family, td.Revision), instance, Optional(i, "group") ?? $"family:{family}", Optional(i, "startedBy"), null, launchType, c.Now);
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
            var task = _scheduler.Launch(cluster, TaskDefinitionArn(c, family, td.Revision), instance, Optional(i, "group") ?? $"family:{family}", Optional(i, "startedBy"), null, "EC2", c.Now);
            tasks.Add(TaskView(cluster, task, c));
        }
        return new JsonObject { ["tasks"] = tasks, ["failures"] = new JsonArray() };
    });

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

    JsonNode? UpdateTaskProtection(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = FindCluster(Required(i, "cluster"));
        var enabled = Flag(i, "protectionEnabled");
        var minutes = Number(i, "expiresInMinutes") ?? 120;
        var result = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in Strings(i, "tasks"))
        {
            var task = cluster.Tasks.FirstOrDefault(t => t.Id == Tail(id));
            if (task == null || _scheduler.LastStatus(task, c.Now) == "STOPPED") { failures.Add(Failure(id, "TASK_NOT_VALID")); continue; }
            task.ProtectedUntil = enabled ? c.Now.AddMinutes(minutes) : null;
            result.Add(ProtectionView(cluster, task, c));
        }
        return new JsonObject { ["protectedTasks"] = result, ["failures"] = failures };
    });

    JsonNode? GetTaskProtection(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = FindCluster(Required(i, "cluster"));
        var result = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in Strings(i, "tasks"))
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
            ["taskArn"] = TaskArn(c, cluster, t), ["clusterArn"] = ClusterArn(c, cluster.Name),
            ["taskDefinitionArn"] = t.TaskDefinition, ["lastStatus"] = last, ["desiredStatus"] = EcsScheduler.DesiredStatus(t),
            ["group"] = t.Group, ["startedBy"] = t.StartedBy, ["launchType"] = t.LaunchType,
            ["createdAt"] = t.Created.ToString("O"),
            ["containers"] = new JsonArray(new JsonObject
            {
                ["containerArn"] = c.Arn("ecs", $"container/{cluster.Name}/{t.Id}/worker"), ["lastStatus"] = last,
                ["name"] = (string?)State.TaskDefinitionSpec(t.TaskDefinition)?["containerDefinitions"]?[0]?["name"] ?? "main",
            }),
        };
        if (t.ContainerInstance != null) o["containerInstanceArn"] = c.Arn("ecs", $"container-instance/{cluster.Name}/{t.ContainerInstance}");
        var startedAt = _scheduler.StartedAt(t);
        if (startedAt <= (t.StopRequested ?? c.Now)) o["startedAt"] = startedAt.ToString("O");   // it got as far as RUNNING
        if (t.StopRequested is { } stop)
        {
            o["stoppingAt"] = stop.ToString("O");
            o["stoppedReason"] = t.StoppedReason;
            o["stopCode"] = t.StopCode;
            if (last == "STOPPED") o["stoppedAt"] = _scheduler.StoppedAt(stop).ToString("O");
        }
        return o;
    }

    JsonObject ProtectionView(EcsCluster cluster, EcsTask t, RequestContext c)
    {
        var o = new JsonObject { ["taskArn"] = TaskArn(c, cluster, t), ["protectionEnabled"] = EcsScheduler.IsProtected(t, c.Now) };
        if (EcsScheduler.IsProtected(t, c.Now)) o["expirationDate"] = t.ProtectedUntil!.Value.ToString("O");
        return o;
    }
}
