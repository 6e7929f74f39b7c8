using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>
/// ECS: clusters, task definitions, container instances, tasks and services, answered from <see cref="EcsState"/>,
/// with <see cref="EcsScheduler"/> keeping each service at its desired count. Handlers are grouped by resource in
/// the partial files <c>EcsService.*.cs</c>.
/// </summary>
internal sealed partial class EcsService : ServiceHandler<EcsState>
{
    readonly EcsScheduler _scheduler;
    public override string Name => "ecs";

    public EcsService(StateStore store, LifecycleDelays delays, ITaskRunner? runner = null) : base(store)
    {
        _scheduler = new EcsScheduler(delays.Task, runner, () => State);

        On("CreateCluster", CreateCluster);
        On("DescribeClusters", DescribeClusters);
        On("ListClusters", ListClusters);
        On("DeleteCluster", DeleteCluster);
        On("PutClusterCapacityProviders", PutClusterCapacityProviders);

        On("RegisterTaskDefinition", RegisterTaskDefinition);
        On("DescribeTaskDefinition", DescribeTaskDefinition);
        On("ListTaskDefinitions", ListTaskDefinitions);
        On("ListTaskDefinitionFamilies", ListTaskDefinitionFamilies);
        On("DeregisterTaskDefinition", DeregisterTaskDefinition);
        On("DeleteTaskDefinitions", DeleteTaskDefinitions);

        On("RegisterContainerInstance", RegisterContainerInstance);
        On("DeregisterContainerInstance", DeregisterContainerInstance);
        On("ListContainerInstances", ListContainerInstances);
        On("DescribeContainerInstances", DescribeContainerInstances);
        On("UpdateContainerInstancesState", UpdateContainerInstancesState);

        On("CreateService", CreateService);
        On("DescribeServices", DescribeServices);
        On("ListServices", ListServices);
        On("UpdateService", UpdateService);
        On("DeleteService", DeleteService);

        On("RunTask", RunTask);
        On("StartTask", StartTask);
        On("StopTask", StopTask);
        On("DescribeTasks", DescribeTasks);
        On("ListTasks", ListTasks);
        On("UpdateTaskProtection", UpdateTaskProtection);
        On("GetTaskProtection", GetTaskProtection);

        On("TagResource", TagResource);
        On("UntagResource", UntagResource);
        On("ListTagsForResource", ListTagsForResource);
    }

    /// <summary>Runs a change with the scheduler brought up to date first (c == null: no scheduling needed), then persists.</summary>
    JsonNode? Write(RequestContext? c, Func<JsonNode?> body)
    {
        lock (Gate)
        {
            if (c != null) _scheduler.ReconcileAll(c);
            var result = body();
            Persist();
            return result;
        }
    }

    static string Tail(string id) => id.Split('/')[^1];

    static JsonObject Failure(string? arn, string reason) => new() { ["arn"] = arn, ["reason"] = reason };

    /// <summary>The cluster a request names (default: "default").</summary>
    EcsCluster ClusterOf(JsonObject i) => FindCluster(Optional(i, "cluster") ?? "default");
}
