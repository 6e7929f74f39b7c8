using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>ECS services: create, describe, list, update (scale, new deployments), delete; the scheduler does the rest.</summary>
internal sealed partial class EcsService
{
    JsonNode? CreateService(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var name = Required(i, "serviceName");
        if (cluster.Services.TryGetValue(name, out var existing) && existing.Status != "INACTIVE")
            throw new AwsError("InvalidParameterException", "Creation of service was not idempotent.");
        var (family, td) = State.FindTaskDefinition(Required(i, "taskDefinition"));
        var config = i["deploymentConfiguration"] as JsonObject;
        var service = new EcsServiceState
        {
            Name = name,
            DesiredCount = (int)(Number(i, "desiredCount") ?? 1),
            Created = c.Now,
            LaunchType = Optional(i, "launchType") ?? "EC2",
            MaximumPercent = (int)(config?["maximumPercent"]?.GetValue<long>() ?? 200),
            MinimumHealthyPercent = (int)(config?["minimumHealthyPercent"]?.GetValue<long>() ?? 100),
            CircuitBreakerEnable = config?["deploymentCircuitBreaker"]?["enable"]?.GetValue<bool>() ?? false,
            CircuitBreakerRollback = config?["deploymentCircuitBreaker"]?["rollback"]?.GetValue<bool>() ?? false,
        };
        service.Deployments.Add(EcsScheduler.NewDeployment(TaskDefinitionArn(c, family, td.Revision), c.Now));
        cluster.Services[name] = service;
        SetTags(ServiceArn(c, cluster, service), i["tags"] as JsonArray);
        _scheduler.Reconcile(cluster, c);
        return new JsonObject { ["service"] = ServiceView(cluster, service, c) };
    });

    JsonNode? DescribeServices(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var found = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in Strings(i, "services"))
            if (cluster.Services.TryGetValue(Tail(id), out var s)) found.Add(ServiceView(cluster, s, c));
            else failures.Add(Failure(id.StartsWith("arn:") ? id : c.Arn("ecs", $"service/{cluster.Name}/{id}"), "MISSING"));
        return new JsonObject { ["services"] = found, ["failures"] = failures };
    });

    JsonNode? ListServices(JsonObject i, RequestContext c) => Read(() =>
    {
        var cluster = ClusterOf(i);
        var arns = cluster.Services.Values.Where(s => s.Status == "ACTIVE").Select(s => (JsonNode?)ServiceArn(c, cluster, s));
        return Paginate(i, arns, "serviceArns", "nextToken", "maxResults", 100);
    });

    JsonNode? UpdateService(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var service = FindService(cluster, Required(i, "service"));
        if (Number(i, "desiredCount") is { } desired) service.DesiredCount = (int)desired;
        if (i["deploymentConfiguration"] is JsonObject config)
        {
            service.MaximumPercent = (int)(config["maximumPercent"]?.GetValue<long>() ?? service.MaximumPercent);
            service.MinimumHealthyPercent = (int)(config["minimumHealthyPercent"]?.GetValue<long>() ?? service.MinimumHealthyPercent);
            if (config["deploymentCircuitBreaker"] is JsonObject breaker)
            {
                service.CircuitBreakerEnable = breaker["enable"]?.GetValue<bool>() ?? false;
                service.CircuitBreakerRollback = breaker["rollback"]?.GetValue<bool>() ?? false;
            }
        }
        var current = service.Deployments[0].TaskDefinition;
        var next = current;
        if (Optional(i, "taskDefinition") is { } requested)
        {
            var (family, td) = State.FindTaskDefinition(requested);
            next = TaskDefinitionArn(c, family, td.Revision);
        }
        if (next != current || Flag(i, "forceNewDeployment"))
        {
            foreach (var d in service.Deployments) d.Status = "ACTIVE";
            service.Deployments.Insert(0, EcsScheduler.NewDeployment(next, c.Now));
            service.Steady = false;
            service.FailedTasks = 0;          // a new deployment launches at once, whatever the one before it did
            service.LaunchNotBefore = null;
        }
        _scheduler.Reconcile(cluster, c);
        return new JsonObject { ["service"] = ServiceView(cluster, service, c) };
    });

    JsonNode? DeleteService(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var service = FindService(cluster, Required(i, "service"));
        if (service.DesiredCount > 0 && !Flag(i, "force"))
            throw new AwsError("InvalidParameterException", "The service cannot be stopped while it is scaled above 0.");
        service.DesiredCount = 0;
        service.Status = "DRAINING";
        foreach (var t in EcsScheduler.ServiceTasks(cluster, service)) _scheduler.Stop(cluster, t, "Service deleted", "ServiceSchedulerInitiated", c.Now);
        _scheduler.Reconcile(cluster, c);
        return new JsonObject { ["service"] = ServiceView(cluster, service, c) };
    });

    static string ServiceArn(RequestContext c, EcsCluster cluster, EcsServiceState s) => c.Arn("ecs", $"service/{cluster.Name}/{s.Name}");

    static EcsServiceState FindService(EcsCluster cluster, string id) =>
        cluster.Services.TryGetValue(Tail(id), out var s) && s.Status == "ACTIVE" ? s : throw new AwsError("ServiceNotFoundException", "Service not found.");

    JsonObject ServiceView(EcsCluster cluster, EcsServiceState s, RequestContext c)
    {
        var live = EcsScheduler.ServiceTasks(cluster, s).ToList();
        var deployments = new JsonArray(s.Deployments.Select(d =>
        {
            var tasks = live.Where(t => t.DeploymentId == d.Id).ToList();
            return (JsonNode?)new JsonObject
            {
                ["id"] = d.Id,
                ["status"] = d.Status,
                ["taskDefinition"] = d.TaskDefinition,
                ["desiredCount"] = d.Status == "PRIMARY" ? s.DesiredCount : tasks.Count,
                ["runningCount"] = tasks.Count(t => _scheduler.LastStatus(t, c.Now) == "RUNNING"),
                ["pendingCount"] = tasks.Count(t => _scheduler.LastStatus(t, c.Now) != "RUNNING"),
                ["failedTasks"] = d.FailedTasks,
                ["createdAt"] = d.Created.ToString("O"),
                ["updatedAt"] = d.Updated.ToString("O"),
                ["launchType"] = s.LaunchType,
                ["rolloutState"] = d.RolloutState,
                ["rolloutStateReason"] = d.RolloutStateReason,
            };
        }).ToArray());
        return new JsonObject
        {
            ["serviceArn"] = ServiceArn(c, cluster, s),
            ["serviceName"] = s.Name,
            ["clusterArn"] = ClusterArn(c, cluster.Name),
            ["status"] = s.Status,
            ["desiredCount"] = s.DesiredCount,
            ["runningCount"] = live.Count(t => _scheduler.LastStatus(t, c.Now) == "RUNNING"),
            ["pendingCount"] = live.Count(t => _scheduler.LastStatus(t, c.Now) != "RUNNING"),
            ["launchType"] = s.LaunchType,
            ["taskDefinition"] = s.Deployments[0].TaskDefinition,
            ["deploymentConfiguration"] = new JsonObject
            {
                ["maximumPercent"] = s.MaximumPercent,
                ["minimumHealthyPercent"] = s.MinimumHealthyPercent,
                ["deploymentCircuitBreaker"] = new JsonObject { ["enable"] = s.CircuitBreakerEnable, ["rollback"] = s.CircuitBreakerRollback },
            },
            ["deployments"] = deployments,
            ["events"] = new JsonArray(s.Events.Take(20).Select(e => (JsonNode?)e.DeepClone()).ToArray()),
            ["createdAt"] = s.Created.ToString("O"),
            ["schedulingStrategy"] = "REPLICA",
            ["tags"] = Tags(ServiceArn(c, cluster, s)),
        };
    }
}
