using System.Text.Json.Nodes;
using Ops.LocalCloud.State;
using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Services.Ecs;

/// <summary>
/// ECS: clusters, task definitions, container instances, tasks and services, answered from <see cref="EcsState"/>,
/// with <see cref="EcsScheduler"/> keeping each service at its desired count. Handlers are grouped by resource in
/// the partial files <c>EcsService.*.cs</c>.
/// </summary>
internal sealed partial class EcsService : ServiceHandler<EcsState>
{
    readonly EcsScheduler _scheduler;
    readonly StateStore _store;
    readonly LocalCloudOptions _options;
    readonly ProcessTaskRunner? _processes;
    public override string Name => "ecs";

    /// <summary>
    /// ECS over <paramref name="store"/>; tasks go to the options' task backend, or to <paramref name="processes"/> (the
    /// process task runner, which reports back through <see cref="ITaskHost"/>), or nowhere (bookkeeping by the clock).
    /// </summary>
    public EcsService(StateStore store, LocalCloudOptions options, ProcessTaskRunner? processes = null, ITaskLogSink? logs = null) : base(store)
    {
        _store = store;
        _options = options;
        _processes = options.Backends.Tasks == null ? processes : null;
        _scheduler = new EcsScheduler(options.Delays.Task, options.Backends.Tasks ?? _processes, _processes != null, () => State);
        if (_processes != null) _processes.Connect(this, logs ?? throw new ArgumentNullException(nameof(logs)));

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
            if (c != null) ScheduleWake(c.Now);
            Persist();
            return result;
        }
    }

    static string Tail(string id) => id.Split('/')[^1];

    static JsonObject Failure(string? arn, string reason) => new() { ["arn"] = arn, ["reason"] = reason };

    /// <summary>The cluster a request names (default: "default").</summary>
    EcsCluster ClusterOf(JsonObject i) => FindCluster(Optional(i, "cluster") ?? "default");
}
