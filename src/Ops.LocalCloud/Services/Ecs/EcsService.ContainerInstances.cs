using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>ECS container instances: registered by API or by the ECS agent of an EC2 instance, listed, drained, deregistered.</summary>
internal sealed partial class EcsService
{
    JsonNode? RegisterContainerInstance(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var document = Optional(i, "instanceIdentityDocument");
        var ec2 = document != null ? (string?)JsonNode.Parse(document)?["instanceId"] : null;
        var instance = new EcsContainerInstance { Id = Guid.NewGuid().ToString("N"), Ec2InstanceId = ec2 ?? "i-" + Guid.NewGuid().ToString("N")[..17],
            Registered = c.Now };
        cluster.Instances.Add(instance);
        return new JsonObject { ["containerInstance"] = InstanceView(cluster, instance, c) };
    });

    JsonNode? DeregisterContainerInstance(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var instance = FindInstance(cluster, Required(i, "containerInstance"));
        var running = cluster.Tasks.Where(t => t.ContainerInstance == instance.Id && t.StopRequested == null).ToList();
        if (running.Count > 0 && !Flag(i, "force"))
            throw new AwsError("InvalidParameterException", "Found running tasks on the instance.");
        foreach (var t in running) _scheduler.Stop(cluster, t, "Container instance deregistered", "TaskFailedToStart", c.Now);
        cluster.Instances.Remove(instance);
        return new JsonObject { ["containerInstance"] = InstanceView(cluster, instance, c) };
    });

    JsonNode? ListContainerInstances(JsonObject i, RequestContext c) => Read(() =>
    {
        var cluster = ClusterOf(i);
        var status = Optional(i, "status");
        var arns = cluster.Instances.Where(x => status == null || x.Status == status).Select(x => (JsonNode?)InstanceArn(c, cluster, x));
        return Paginate(i, arns, "containerInstanceArns", "nextToken", "maxResults", 100);
    });

    JsonNode? DescribeContainerInstances(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var found = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in Strings(i, "containerInstances"))
        {
            var instance = cluster.Instances.FirstOrDefault(x => x.Id == Tail(id));
            if (instance != null) found.Add(InstanceView(cluster, instance, c)); else failures.Add(Failure(id, "MISSING"));
        }
        return new JsonObject { ["containerInstances"] = found, ["failures"] = failures };
    });

    JsonNode? UpdateContainerInstancesState(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = ClusterOf(i);
        var status = Required(i, "status");
        var updated = new JsonArray();
        foreach (var id in Strings(i, "containerInstances"))
        {
            var instance = FindInstance(cluster, id);
            instance.Status = status;
            updated.Add(InstanceView(cluster, instance, c));
        }
        return new JsonObject { ["containerInstances"] = updated, ["failures"] = new JsonArray() };
    });

    // ---------------- the ECS agent on EC2 instances ----------------

    /// <summary>An EC2 instance whose user data names a cluster joins it, as the ECS agent would make it.</summary>
    public void AgentStarted(string cluster, string ec2InstanceId, RequestContext c)
    {
        lock (Gate)
        {
            if (!State.Clusters.TryGetValue(cluster, out var cl) || cl.Status != "ACTIVE") return;
            if (cl.Instances.Any(x => x.Ec2InstanceId == ec2InstanceId)) return;
            cl.Instances.Add(new EcsContainerInstance { Id = Guid.NewGuid().ToString("N"), Ec2InstanceId = ec2InstanceId, Registered = c.Now });
            _scheduler.Reconcile(cl, c);
            Persist();
        }
    }

    /// <summary>The instance went away: its container instance and tasks with it.</summary>
    public void AgentStopped(string ec2InstanceId, RequestContext c)
    {
        lock (Gate)
        {
            foreach (var cl in State.Clusters.Values)
                foreach (var x in cl.Instances.Where(x => x.Ec2InstanceId == ec2InstanceId).ToList())
                {
                    foreach (var t in cl.Tasks.Where(t => t.ContainerInstance == x.Id)) _scheduler.Stop(cl, t, "EC2 instance terminated", "TaskFailedToStart", c.Now);
                    cl.Instances.Remove(x);
                    _scheduler.Reconcile(cl, c);
                }
            Persist();
        }
    }

    static string InstanceArn(RequestContext c, EcsCluster cluster, EcsContainerInstance x) => c.Arn("ecs", $"container-instance/{cluster.Name}/{x.Id}");

    static EcsContainerInstance FindInstance(EcsCluster cluster, string id) =>
        cluster.Instances.FirstOrDefault(x => x.Id == Tail(id)) ?? throw new AwsError("InvalidParameterException", $"Container instance {id} not found.");

    JsonObject InstanceView(EcsCluster cluster, EcsContainerInstance x, RequestContext c)
    {
        var tasks = cluster.Tasks.Where(t => t.ContainerInstance == x.Id && t.StopRequested == null).ToList();
        return new JsonObject
        {
            ["containerInstanceArn"] = InstanceArn(c, cluster, x),
            ["ec2InstanceId"] = x.Ec2InstanceId,
            ["status"] = x.Status,
            ["agentConnected"] = true,
            ["registeredAt"] = x.Registered.ToString("O"),
            ["runningTasksCount"] = tasks.Count(t => _scheduler.LastStatus(t, c.Now) == "RUNNING"),
            ["pendingTasksCount"] = tasks.Count(t => _scheduler.LastStatus(t, c.Now) != "RUNNING"),
            ["versionInfo"] = new JsonObject { ["agentVersion"] = "1.89.0", ["dockerVersion"] = "DockerVersion: 25.0.0" },
        };
    }
}
