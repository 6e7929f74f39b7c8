using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>ECS clusters: create, describe, list, delete, capacity providers.</summary>
internal sealed partial class EcsService
{
    JsonNode? CreateCluster(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var name = Optional(i, "clusterName") ?? "default";
        if (!State.Clusters.TryGetValue(name, out var cluster) || cluster.Status == "INACTIVE")
            State.Clusters[name] = cluster = new EcsCluster { Name = name };
        SetTags(ClusterArn(c, name), i["tags"] as JsonArray);
        return new JsonObject { ["cluster"] = ClusterView(cluster, c) };
    });

    JsonNode? DescribeClusters(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var found = new JsonArray();
        var failures = new JsonArray();
        foreach (var id in Strings(i, "clusters").DefaultIfEmpty("default"))
            if (State.Clusters.TryGetValue(ClusterName(id), out var cl)) found.Add(ClusterView(cl, c));
            else failures.Add(Failure(ClusterArn(c, ClusterName(id)), "MISSING"));
        return new JsonObject { ["clusters"] = found, ["failures"] = failures };
    });

    JsonNode? ListClusters(JsonObject i, RequestContext c) => Read(() =>
        Paginate(i, State.Clusters.Values.Where(cl => cl.Status == "ACTIVE").Select(cl => (JsonNode?)ClusterArn(c, cl.Name)), "clusterArns", "nextToken", "maxResults", 100));

    JsonNode? DeleteCluster(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = FindCluster(Required(i, "cluster"));
        if (cluster.Services.Values.Any(s => s.Status == "ACTIVE"))
            throw new AwsError("ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.");
        if (cluster.Instances.Count > 0)
            throw new AwsError("ClusterContainsContainerInstancesException", "The Cluster cannot be deleted while Container Instances are active or draining.");
        cluster.Status = "INACTIVE";
        return new JsonObject { ["cluster"] = ClusterView(cluster, c) };
    });

    JsonNode? PutClusterCapacityProviders(JsonObject i, RequestContext c) => Write(c, () =>
    {
        var cluster = FindCluster(Required(i, "cluster"));
        cluster.CapacityProviders = Strings(i, "capacityProviders").ToList();
        var strategy = Required<JsonArray>(i, "defaultCapacityProviderStrategy");
        var unknown = strategy.Select(s => (string?)s?["capacityProvider"]).FirstOrDefault(p => p == null || !cluster.CapacityProviders.Contains(p));
        if (strategy.Count > 0 && unknown != null)
            throw new AwsError("InvalidParameterException", $"The specified capacity provider strategy cannot contain a capacity provider ('{unknown}') that is not associated with the cluster.");
        cluster.DefaultCapacityProviderStrategy = (JsonArray)strategy.DeepClone();
        return new JsonObject { ["cluster"] = ClusterView(cluster, c) };
    });

    static T Required<T>(JsonObject input, string member) where T : JsonNode =>
        input[member] as T ?? throw new AwsError("InvalidParameterException", $"{member} is required.");

    static string ClusterName(string id) => id.StartsWith("arn:", StringComparison.Ordinal) ? Tail(id) : id;

    static string ClusterArn(RequestContext c, string name) => c.Arn("ecs", $"cluster/{name}");

    EcsCluster FindCluster(string id) =>
        State.Clusters.TryGetValue(ClusterName(id), out var c) && c.Status == "ACTIVE" ? c : throw new AwsError("ClusterNotFoundException", "Cluster not found.");

    JsonObject ClusterView(EcsCluster cl, RequestContext c)
    {
        var tasks = cl.Tasks.Where(t => t.StopRequested == null).ToList();
        return new JsonObject
        {
            ["clusterArn"] = ClusterArn(c, cl.Name),
            ["clusterName"] = cl.Name,
            ["status"] = cl.Status,
            ["registeredContainerInstancesCount"] = cl.Instances.Count,
            ["runningTasksCount"] = tasks.Count(t => _scheduler.LastStatus(t, c.Now) == "RUNNING"),
            ["pendingTasksCount"] = tasks.Count(t => _scheduler.LastStatus(t, c.Now) != "RUNNING"),
            ["activeServicesCount"] = cl.Services.Values.Count(s => s.Status == "ACTIVE"),
            ["capacityProviders"] = new JsonArray(cl.CapacityProviders.Select(p => (JsonNode?)p).ToArray()),
            ["defaultCapacityProviderStrategy"] = cl.DefaultCapacityProviderStrategy?.DeepClone() ?? new JsonArray(),
            ["tags"] = Tags(ClusterArn(c, cl.Name)),
        };
    }
}
