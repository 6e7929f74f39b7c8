using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>
/// ECS: clusters, task definitions, container instances, tasks and services, with a scheduler that keeps
/// each service at its desired count on the registered container instances (PROVISIONING → PENDING →
/// RUNNING; STOPPED with a reason), rolls deployments (PRIMARY/ACTIVE, rolloutState) within
/// minimumHealthyPercent/maximumPercent, and leaves scale-in-protected tasks alone.
/// </summary>
internal sealed class EcsService : ServiceHandler<EcsService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Cluster> Clusters { get; set; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, List<TaskDefinition>> Families { get; set; } = new(StringComparer.Ordinal);
        public Dictionary<string, Dictionary<string, string>> Tags { get; set; } = new();
    }

    public sealed class Cluster
    {
        public string Name { get; set; } = "";
        public string Status { get; set; } = "ACTIVE";
        public List<string> CapacityProviders { get; set; } = [];
        public List<ContainerInstance> Instances { get; set; } = [];
        public SortedDictionary<string, Service> Services { get; set; } = new(StringComparer.Ordinal);
        public List<EcsTask> Tasks { get; set; } = [];
    }

    public sealed class TaskDefinition
    {
        public int Revision { get; set; }
        public string Status { get; set; } = "ACTIVE";
        public JsonObject Spec { get; set; } = new();
        public DateTimeOffset Registered { get; set; }
    }

    public sealed class ContainerInstance
    {
        public string Id { get; set; } = "";
        public string Ec2InstanceId { get; set; } = "";
        public string Status { get; set; } = "ACTIVE";
        public DateTimeOffset Registered { get; set; }
    }

    public sealed class Service
    {
        public string Name { get; set; } = "";
        public string Status { get; set; } = "ACTIVE";
        public int DesiredCount { get; set; }
        public string LaunchType { get; set; } = "EC2";
        public int MaximumPercent { get; set; } = 200;
        public int MinimumHealthyPercent { get; set; } = 100;
        public DateTimeOffset Created { get; set; }
        public List<Deployment> Deployments { get; set; } = [];
        public List<JsonObject> Events { get; set; } = [];
        public bool Steady { get; set; }
    }

    public sealed class Deployment
    {
        public string Id { get; set; } = "";
        public string Status { get; set; } = "PRIMARY";
        public string TaskDefinition { get; set; } = "";
        public DateTimeOffset Created { get; set; }
        public DateTimeOffset Updated { get; set; }
        public string RolloutState { get; set; } = "IN_PROGRESS";
        public string RolloutStateReason { get; set; } = "ECS deployment in progress.";
    }

    public sealed class EcsTask
    {
        public string Id { get; set; } = "";
        public string TaskDefinition { get; set; } = "";
        public string? ContainerInstance { get; set; }
        public string Group { get; set; } = "";
        public string? StartedBy { get; set; }
        public string? DeploymentId { get; set; }
        public string LaunchType { get; set; } = "EC2";
        public DateTimeOffset Created { get; set; }
        public DateTimeOffset? StopRequested { get; set; }
        public string? StoppedReason { get; set; }
        public string? StopCode { get; set; }
        public DateTimeOffset? ProtectedUntil { get; set; }
    }

    readonly TimeSpan _delay;
    readonly ITaskRunner? _runner;
    public override string Name => "ecs";

    public EcsService(StateStore store, LifecycleDelays delays, ITaskRunner? runner = null) : base(store)
    {
        _delay = delays.Task;
        _runner = runner;

        // ---- clusters ----
        On("CreateCluster", (i, c) => Write(c, () =>
        {
            var name = Optional(i, "clusterName") ?? "default";
            if (!State.Clusters.TryGetValue(name, out var cluster) || cluster.Status == "INACTIVE")
                State.Clusters[name] = cluster = new Cluster { Name = name };
            SetTags(c.Arn("ecs", $"cluster/{name}"), i["tags"] as JsonArray);
            return new JsonObject { ["cluster"] = DescribeCluster(cluster, c) };
        }));
        On("DescribeClusters", (i, c) => Write(c, () =>
        {
            var found = new JsonArray();
            var failures = new JsonArray();
            foreach (var id in Strings(i, "clusters").DefaultIfEmpty("default"))
                if (State.Clusters.TryGetValue(ClusterName(id), out var cl)) found.Add(DescribeCluster(cl, c));
                else failures.Add(Failure(c.Arn("ecs", $"cluster/{ClusterName(id)}"), "MISSING"));
            return new JsonObject { ["clusters"] = found, ["failures"] = failures };
        }));
        On("ListClusters", (i, c) => Read(() => Paginate(i, (State.Clusters.Values.Where(cl => cl.Status == "ACTIVE").Select(cl => c.Arn("ecs", $"cluster/{cl.Name}"))).Select(a => (JsonNode?)a), "clusterArns", "nextToken", "maxResults", 100)));
        On("DeleteCluster", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Required(i, "cluster"));
            if (cluster.Services.Values.Any(s => s.Status == "ACTIVE"))
                throw new AwsError("ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.");
            if (cluster.Instances.Count > 0)
                throw new AwsError("ClusterContainsContainerInstancesException", "The Cluster cannot be deleted while Container Instances are active or draining.");
            cluster.Status = "INACTIVE";
            return new JsonObject { ["cluster"] = DescribeCluster(cluster, c) };
        }));
        On("PutClusterCapacityProviders", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Required(i, "cluster"));
            cluster.CapacityProviders = Strings(i, "capacityProviders").ToList();
            return new JsonObject { ["cluster"] = DescribeCluster(cluster, c) };
        }));

        // ---- task definitions ----
        On("RegisterTaskDefinition", (i, c) => Write(c, () =>
        {
            var family = Required(i, "family");
            if (i["containerDefinitions"] is not JsonArray { Count: > 0 })
                throw new AwsError("ClientException", "Container definitions are required.");
            var revisions = State.Families.TryGetValue(family, out var list) ? list : State.Families[family] = [];
            var spec = i.DeepClone().AsObject();
            spec.Remove("tags");
            var td = new TaskDefinition { Revision = revisions.Count + 1, Spec = spec, Registered = c.Now };
            revisions.Add(td);
            return new JsonObject { ["taskDefinition"] = DescribeTaskDefinition(family, td, c) };
        }));
        On("DescribeTaskDefinition", (i, c) => Read(() =>
        {
            var (family, td) = FindTaskDefinition(Required(i, "taskDefinition"));
            return new JsonObject { ["taskDefinition"] = DescribeTaskDefinition(family, td, c) };
        }));
        On("ListTaskDefinitions", (i, c) => Read(() =>
        {
            var prefix = Optional(i, "familyPrefix");
            var status = Optional(i, "status") ?? "ACTIVE";
            var arns = State.Families.Where(f => prefix == null || f.Key == prefix)
                .SelectMany(f => f.Value.Where(td => td.Status == status).Select(td => TaskDefinitionArn(c, f.Key, td.Revision)));
            if (Optional(i, "sort") == "DESC") arns = arns.Reverse();
            return Paginate(i, (arns).Select(a => (JsonNode?)a), "taskDefinitionArns", "nextToken", "maxResults", 100);
        }));
        On("ListTaskDefinitionFamilies", (i, _) => Read(() =>
        {
            var prefix = Optional(i, "familyPrefix") ?? "";
            return Paginate(i, (State.Families.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal) && f.Value.Any(td => td.Status == "ACTIVE")).Select(f => f.Key)).Select(a => (JsonNode?)a), "families", "nextToken", "maxResults", 100);
        }));
        On("DeregisterTaskDefinition", (i, c) => Write(c, () =>
        {
            var (family, td) = FindTaskDefinition(Required(i, "taskDefinition"));
            td.Status = "INACTIVE";
            return new JsonObject { ["taskDefinition"] = DescribeTaskDefinition(family, td, c) };
        }));
        On("DeleteTaskDefinitions", (i, c) => Write(c, () =>
        {
            var deleted = new JsonArray();
            var failures = new JsonArray();
            foreach (var id in Strings(i, "taskDefinitions"))
            {
                var (family, td) = FindTaskDefinition(id);
                if (td.Status != "INACTIVE") { failures.Add(Failure(TaskDefinitionArn(c, family, td.Revision), "The specified task definition must be INACTIVE to be deleted.")); continue; }
                td.Status = "DELETE_IN_PROGRESS";
                deleted.Add(DescribeTaskDefinition(family, td, c));
            }
            return new JsonObject { ["taskDefinitions"] = deleted, ["failures"] = failures };
        }));

        // ---- container instances ----
        On("RegisterContainerInstance", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var document = Optional(i, "instanceIdentityDocument");
            var ec2 = document != null ? (string?)JsonNode.Parse(document)?["instanceId"] : null;
            var instance = new ContainerInstance { Id = Guid.NewGuid().ToString("N"), Ec2InstanceId = ec2 ?? "i-" + Guid.NewGuid().ToString("N")[..17], Registered = c.Now };
            cluster.Instances.Add(instance);
            return new JsonObject { ["containerInstance"] = DescribeInstance(cluster, instance, c) };
        }));
        On("DeregisterContainerInstance", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var instance = FindInstance(cluster, Required(i, "containerInstance"));
            var running = cluster.Tasks.Where(t => t.ContainerInstance == instance.Id && t.StopRequested == null).ToList();
            if (running.Count > 0 && !Flag(i, "force"))
                throw new AwsError("InvalidParameterException", "Found running tasks on the instance.");
            foreach (var t in running) Stop(cluster, t, "Container instance deregistered", "TaskFailedToStart", c.Now);
            cluster.Instances.Remove(instance);
            return new JsonObject { ["containerInstance"] = DescribeInstance(cluster, instance, c) };
        }));
        On("ListContainerInstances", (i, c) => Read(() =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var status = Optional(i, "status");
            return Paginate(i, (cluster.Instances.Where(x => status == null || x.Status == status).Select(x => InstanceArn(c, cluster, x))).Select(a => (JsonNode?)a), "containerInstanceArns", "nextToken", "maxResults", 100);
        }));
        On("DescribeContainerInstances", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var found = new JsonArray();
            var failures = new JsonArray();
            foreach (var id in Strings(i, "containerInstances"))
            {
                var instance = cluster.Instances.FirstOrDefault(x => x.Id == Tail(id));
                if (instance != null) found.Add(DescribeInstance(cluster, instance, c)); else failures.Add(Failure(id, "MISSING"));
            }
            return new JsonObject { ["containerInstances"] = found, ["failures"] = failures };
        }));
        On("UpdateContainerInstancesState", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var status = Required(i, "status");
            var updated = new JsonArray();
            foreach (var id in Strings(i, "containerInstances"))
            {
                var instance = FindInstance(cluster, id);
                instance.Status = status;
                updated.Add(DescribeInstance(cluster, instance, c));
            }
            return new JsonObject { ["containerInstances"] = updated, ["failures"] = new JsonArray() };
        }));

        // ---- services ----
        On("CreateService", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var name = Required(i, "serviceName");
            if (cluster.Services.TryGetValue(name, out var existing) && existing.Status != "INACTIVE")
                throw new AwsError("InvalidParameterException", "Creation of service was not idempotent.");
            var (family, td) = FindTaskDefinition(Required(i, "taskDefinition"));
            var config = i["deploymentConfiguration"] as JsonObject;
            var service = new Service
            {
                Name = name, DesiredCount = (int)(Number(i, "desiredCount") ?? 1), Created = c.Now,
                LaunchType = Optional(i, "launchType") ?? "EC2",
                MaximumPercent = (int)(config?["maximumPercent"]?.GetValue<long>() ?? 200),
                MinimumHealthyPercent = (int)(config?["minimumHealthyPercent"]?.GetValue<long>() ?? 100),
            };
            service.Deployments.Add(NewDeployment(TaskDefinitionArn(c, family, td.Revision), c.Now));
            cluster.Services[name] = service;
            SetTags(ServiceArn(c, cluster, service), i["tags"] as JsonArray);
            Reconcile(cluster, c);
            return new JsonObject { ["service"] = DescribeService(cluster, service, c) };
        }));
        On("DescribeServices", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var found = new JsonArray();
            var failures = new JsonArray();
            foreach (var id in Strings(i, "services"))
                if (cluster.Services.TryGetValue(Tail(id), out var s)) found.Add(DescribeService(cluster, s, c));
                else failures.Add(Failure(id.StartsWith("arn:") ? id : c.Arn("ecs", $"service/{cluster.Name}/{id}"), "MISSING"));
            return new JsonObject { ["services"] = found, ["failures"] = failures };
        }));
        On("ListServices", (i, c) => Read(() =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            return Paginate(i, (cluster.Services.Values.Where(s => s.Status == "ACTIVE").Select(s => ServiceArn(c, cluster, s))).Select(a => (JsonNode?)a), "serviceArns", "nextToken", "maxResults", 100);
        }));
        On("UpdateService", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var service = FindService(cluster, Required(i, "service"));
            if (Number(i, "desiredCount") is { } desired) service.DesiredCount = (int)desired;
            if (i["deploymentConfiguration"] is JsonObject config)
            {
                service.MaximumPercent = (int)(config["maximumPercent"]?.GetValue<long>() ?? service.MaximumPercent);
                service.MinimumHealthyPercent = (int)(config["minimumHealthyPercent"]?.GetValue<long>() ?? service.MinimumHealthyPercent);
            }
            var current = service.Deployments[0].TaskDefinition;
            var next = Optional(i, "taskDefinition") is { } requested ? TaskDefinitionArn(c, FindTaskDefinition(requested).Family, FindTaskDefinition(requested).Definition.Revision) : current;
            if (next != current || Flag(i, "forceNewDeployment"))
            {
                foreach (var d in service.Deployments) d.Status = "ACTIVE";
                service.Deployments.Insert(0, NewDeployment(next, c.Now));
                service.Steady = false;
            }
            Reconcile(cluster, c);
            return new JsonObject { ["service"] = DescribeService(cluster, service, c) };
        }));
        On("DeleteService", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var service = FindService(cluster, Required(i, "service"));
            if (service.DesiredCount > 0 && !Flag(i, "force"))
                throw new AwsError("InvalidParameterException", "The service cannot be stopped while it is scaled above 0.");
            service.DesiredCount = 0;
            service.Status = "DRAINING";
            foreach (var t in ServiceTasks(cluster, service)) Stop(cluster, t, "Service deleted", "ServiceSchedulerInitiated", c.Now);
            Reconcile(cluster, c);
            return new JsonObject { ["service"] = DescribeService(cluster, service, c) };
        }));

        // ---- tasks ----
        On("RunTask", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var (family, td) = FindTaskDefinition(Required(i, "taskDefinition"));
            var launchType = Optional(i, "launchType") ?? "EC2";
            var tasks = new JsonArray();
            var failures = new JsonArray();
            for (var n = 0; n < (Number(i, "count") ?? 1); n++)
            {
                var instance = launchType == "FARGATE" ? null : Place(cluster);
                if (launchType != "FARGATE" && instance == null) { failures.Add(Failure(null, "RESOURCE:CPU")); continue; }
                var task = NewTask(cluster, TaskDefinitionArn(c, family, td.Revision), instance, Optional(i, "group") ?? $"family:{family}", Optional(i, "startedBy"), null, launchType, c.Now);
                tasks.Add(DescribeTask(cluster, task, c));
            }
            return new JsonObject { ["tasks"] = tasks, ["failures"] = failures };
        }));
        On("StartTask", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var (family, td) = FindTaskDefinition(Required(i, "taskDefinition"));
            var tasks = new JsonArray();
            foreach (var id in Strings(i, "containerInstances"))
            {
                var instance = FindInstance(cluster, id);
                tasks.Add(DescribeTask(cluster, NewTask(cluster, TaskDefinitionArn(c, family, td.Revision), instance, Optional(i, "group") ?? $"family:{family}", Optional(i, "startedBy"), null, "EC2", c.Now), c));
            }
            return new JsonObject { ["tasks"] = tasks, ["failures"] = new JsonArray() };
        }));
        On("StopTask", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var task = FindTask(cluster, Required(i, "task"));
            Stop(cluster, task, Optional(i, "reason") ?? "Task stopped by user", "UserInitiated", c.Now);
            return new JsonObject { ["task"] = DescribeTask(cluster, task, c) };
        }));
        On("DescribeTasks", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var found = new JsonArray();
            var failures = new JsonArray();
            foreach (var id in Strings(i, "tasks"))
            {
                var task = cluster.Tasks.FirstOrDefault(t => t.Id == Tail(id));
                if (task != null) found.Add(DescribeTask(cluster, task, c)); else failures.Add(Failure(id, "MISSING"));
            }
            return new JsonObject { ["tasks"] = found, ["failures"] = failures };
        }));
        On("ListTasks", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Optional(i, "cluster") ?? "default");
            var desired = Optional(i, "desiredStatus") ?? "RUNNING";
            var service = Optional(i, "serviceName");
            var family = Optional(i, "family");
            var startedBy = Optional(i, "startedBy");
            var instance = Optional(i, "containerInstance");
            var tasks = cluster.Tasks.Where(t =>
                DesiredStatus(t) == desired
                && (service == null || t.Group == $"service:{Tail(service)}")
                && (family == null || t.TaskDefinition.Contains($"/{family}:", StringComparison.Ordinal))
                && (startedBy == null || t.StartedBy == startedBy)
                && (instance == null || t.ContainerInstance == Tail(instance)));
            return Paginate(i, (tasks.Select(t => TaskArn(c, cluster, t))).Select(a => (JsonNode?)a), "taskArns", "nextToken", "maxResults", 100);
        }));
        On("UpdateTaskProtection", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Required(i, "cluster"));
            var enabled = Flag(i, "protectionEnabled");
            var minutes = Number(i, "expiresInMinutes") ?? 120;
            var result = new JsonArray();
            var failures = new JsonArray();
            foreach (var id in Strings(i, "tasks"))
            {
                var task = cluster.Tasks.FirstOrDefault(t => t.Id == Tail(id));
                if (task == null || LastStatus(task, c.Now) == "STOPPED") { failures.Add(Failure(id, "TASK_NOT_VALID")); continue; }
                task.ProtectedUntil = enabled ? c.Now.AddMinutes(minutes) : null;
                result.Add(Protection(cluster, task, c));
            }
            return new JsonObject { ["protectedTasks"] = result, ["failures"] = failures };
        }));
        On("GetTaskProtection", (i, c) => Write(c, () =>
        {
            var cluster = FindCluster(Required(i, "cluster"));
            var result = new JsonArray();
            var failures = new JsonArray();
            foreach (var id in Strings(i, "tasks"))
            {
                var task = cluster.Tasks.FirstOrDefault(t => t.Id == Tail(id));
                if (task == null) failures.Add(Failure(id, "TASK_NOT_VALID")); else result.Add(Protection(cluster, task, c));
            }
            return new JsonObject { ["protectedTasks"] = result, ["failures"] = failures };
        }));

        // ---- tags ----
        On("TagResource", (i, _) => Write(null, () =>
        {
            SetTags(Required(i, "resourceArn"), i["tags"] as JsonArray);
            return new JsonObject();
        }));
        On("UntagResource", (i, _) => Write(null, () =>
        {
            if (State.Tags.TryGetValue(Required(i, "resourceArn"), out var tags))
                foreach (var key in Strings(i, "tagKeys")) tags.Remove(key);
            return new JsonObject();
        }));
        On("ListTagsForResource", (i, _) => Read(() => new JsonObject { ["tags"] = Tags(Required(i, "resourceArn")) }));
    }

    // ---------------- the ECS agent on EC2 instances ----------------

    /// <summary>An EC2 instance whose user data names a cluster joins it, as the ECS agent would make it.</summary>
    public void AgentStarted(string cluster, string ec2InstanceId, RequestContext c)
    {
        lock (Gate)
        {
            if (!State.Clusters.TryGetValue(cluster, out var cl) || cl.Status != "ACTIVE") return;
            if (cl.Instances.Any(x => x.Ec2InstanceId == ec2InstanceId)) return;
            cl.Instances.Add(new ContainerInstance { Id = Guid.NewGuid().ToString("N"), Ec2InstanceId = ec2InstanceId, Registered = c.Now });
            Reconcile(cl, c);
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
                    foreach (var t in cl.Tasks.Where(t => t.ContainerInstance == x.Id)) Stop(cl, t, "EC2 instance terminated", "TaskFailedToStart", c.Now);
                    cl.Instances.Remove(x);
                    Reconcile(cl, c);
                }
            Persist();
        }
    }

    // ---------------- scheduler ----------------

    /// <summary>Brings every active service of the cluster towards its desired state, as the ECS scheduler would.</summary>
    void Reconcile(Cluster cluster, RequestContext c)
    {
        foreach (var service in cluster.Services.Values.Where(s => s.Status != "INACTIVE"))
        {
            var primary = service.Deployments[0];
            var live = ServiceTasks(cluster, service).ToList();
            var primaryTasks = live.Where(t => t.DeploymentId == primary.Id).ToList();
            var oldTasks = live.Where(t => t.DeploymentId != primary.Id).ToList();
            var maxTotal = (int)Math.Floor(service.DesiredCount * service.MaximumPercent / 100.0);
            var minHealthy = (int)Math.Ceiling(service.DesiredCount * service.MinimumHealthyPercent / 100.0);

            // Start primary tasks, within maximumPercent of all live tasks.
            var room = Math.Min(service.DesiredCount - primaryTasks.Count, Math.Max(0, maxTotal - live.Count));
            if (oldTasks.Count == 0) room = service.DesiredCount - primaryTasks.Count;
            var started = new List<string>();
            for (var n = 0; n < room; n++)
            {
                var instance = service.LaunchType == "FARGATE" ? null : Place(cluster);
                if (service.LaunchType != "FARGATE" && instance == null)
                {
                    AddEvent(service, c, $"(service {service.Name}) was unable to place a task because no container instance met all of its requirements.");
                    break;
                }
                var task = NewTask(cluster, primary.TaskDefinition, instance, $"service:{service.Name}", $"ecs-svc/{primary.Id}", primary.Id, service.LaunchType, c.Now);
                primaryTasks.Add(task);
                live.Add(task);
                started.Add(task.Id);
            }
            if (started.Count > 0) AddEvent(service, c, $"(service {service.Name}) has started {started.Count} tasks: {string.Join(' ', started.Select(id => $"(task {id})"))}.");

            // Stop old-deployment tasks while enough tasks stay running (minimumHealthyPercent); protected ones wait.
            var running = live.Count(t => LastStatus(t, c.Now) == "RUNNING");
            var stopped = new List<string>();
            foreach (var old in oldTasks.OrderBy(t => LastStatus(t, c.Now) == "RUNNING"))
            {
                if (IsProtected(old, c.Now)) continue;
                var isRunning = LastStatus(old, c.Now) == "RUNNING";
                if (isRunning && running - 1 < minHealthy) break;
                Stop(cluster, old, $"Task stopped by deployment {primary.Id} of service {service.Name}", "ServiceSchedulerInitiated", c.Now);
                if (isRunning) running--;
                stopped.Add(old.Id);
            }
            // Scale in: more primary tasks than desired.
            foreach (var extra in primaryTasks.Where(t => t.StopRequested == null && !IsProtected(t, c.Now)).Skip(service.DesiredCount).ToList())
            {
                Stop(cluster, extra, $"Scaling activity initiated by (deployment {primary.Id})", "ServiceSchedulerInitiated", c.Now);
                stopped.Add(extra.Id);
            }
            if (stopped.Count > 0) AddEvent(service, c, $"(service {service.Name}) has stopped {stopped.Count} running tasks: {string.Join(' ', stopped.Select(id => $"(task {id})"))}.");

            // Old deployments with no tasks left are done; the primary completes at desired count.
            var remaining = ServiceTasks(cluster, service).ToList();
            service.Deployments.RemoveAll(d => d != primary && remaining.All(t => t.DeploymentId != d.Id));
            var primaryRunning = remaining.Count(t => t.DeploymentId == primary.Id && LastStatus(t, c.Now) == "RUNNING");
            if (service.Deployments.Count == 1 && primaryRunning == service.DesiredCount && remaining.All(t => t.DeploymentId == primary.Id))
            {
                if (primary.RolloutState != "COMPLETED")
                {
                    primary.RolloutState = "COMPLETED";
                    primary.RolloutStateReason = "ECS deployment completed.";
                    primary.Updated = c.Now;
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

    EcsTask NewTask(Cluster cluster, string taskDefinition, ContainerInstance? instance, string group, string? startedBy, string? deployment, string launchType, DateTimeOffset now)
    {
        var task = new EcsTask
        {
            Id = Guid.NewGuid().ToString("N"), TaskDefinition = taskDefinition, ContainerInstance = instance?.Id, Group = group,
            StartedBy = startedBy, DeploymentId = deployment, LaunchType = launchType, Created = now,
        };
        cluster.Tasks.Add(task);
        _runner?.Started(ForRunner(cluster, task));
        return task;
    }

    LocalTask ForRunner(Cluster cluster, EcsTask task) => new(
        cluster.Name, task.Id, task.TaskDefinition, task.Group,
        FindTaskDefinitionOrNull(task.TaskDefinition)?["containerDefinitions"]?.DeepClone().AsArray() ?? []);

    static ContainerInstance? Place(Cluster cluster) =>
        cluster.Instances.Where(x => x.Status == "ACTIVE").OrderBy(x => cluster.Tasks.Count(t => t.ContainerInstance == x.Id && t.StopRequested == null)).FirstOrDefault();

    void Stop(Cluster cluster, EcsTask task, string reason, string code, DateTimeOffset now)
    {
        if (task.StopRequested != null) return;
        task.StopRequested = now;
        task.StoppedReason = reason;
        task.StopCode = code;
        _runner?.Stopping(ForRunner(cluster, task), reason);
    }

    static bool IsProtected(EcsTask task, DateTimeOffset now) => task.ProtectedUntil is { } until && until > now;

    IEnumerable<EcsTask> ServiceTasks(Cluster cluster, Service service) =>
        cluster.Tasks.Where(t => t.Group == $"service:{service.Name}" && t.StopRequested == null);

    string LastStatus(EcsTask t, DateTimeOffset now)
    {
        if (t.StopRequested is { } stop)
            return _delay > TimeSpan.Zero && now < stop + _delay ? "DEACTIVATING" : "STOPPED";
        var age = now - t.Created;
        if (_delay > TimeSpan.Zero && age < _delay) return "PROVISIONING";
        if (_delay > TimeSpan.Zero && age < _delay * 2) return "PENDING";
        return "RUNNING";
    }

    static string DesiredStatus(EcsTask t) => t.StopRequested == null ? "RUNNING" : "STOPPED";

    static Deployment NewDeployment(string taskDefinition, DateTimeOffset now) => new()
    {
        Id = "ecs-svc/" + Random.Shared.NextInt64(1_000_000_000_000_000, 9_999_999_999_999_999), TaskDefinition = taskDefinition,
        Created = now, Updated = now,
    };

    static void AddEvent(Service service, RequestContext c, string message)
    {
        service.Events.Insert(0, new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["createdAt"] = c.Now.ToString("O"), ["message"] = message });
        if (service.Events.Count > 100) service.Events.RemoveAt(service.Events.Count - 1);
    }

    // ---------------- lookups ----------------

    /// <summary>Runs a change with the scheduler brought up to date first (c == null: no scheduling needed), then persists.</summary>
    JsonNode? Write(RequestContext? c, Func<JsonNode?> body)
    {
        lock (Gate)
        {
            if (c != null) foreach (var cluster in State.Clusters.Values) Reconcile(cluster, c);
            var result = body();
            Persist();
            return result;
        }
    }

    static string Tail(string id) => id.Split('/')[^1];
    static string ClusterName(string id) => id.StartsWith("arn:", StringComparison.Ordinal) ? Tail(id) : id;

    Cluster FindCluster(string id) =>
        State.Clusters.TryGetValue(ClusterName(id), out var c) && c.Status == "ACTIVE" ? c : throw new AwsError("ClusterNotFoundException", "Cluster not found.");

    static Service FindService(Cluster cluster, string id) =>
        cluster.Services.TryGetValue(Tail(id), out var s) && s.Status == "ACTIVE" ? s : throw new AwsError("ServiceNotFoundException", "Service not found.");

    static ContainerInstance FindInstance(Cluster cluster, string id) =>
        cluster.Instances.FirstOrDefault(x => x.Id == Tail(id)) ?? throw new AwsError("InvalidParameterException", $"Container instance {id} not found.");

    static EcsTask FindTask(Cluster cluster, string id) =>
        cluster.Tasks.FirstOrDefault(t => t.Id == Tail(id)) ?? throw new AwsError("InvalidParameterException", "The referenced task was not found.");

    (string Family, TaskDefinition Definition) FindTaskDefinition(string id)
    {
        var name = id.StartsWith("arn:", StringComparison.Ordinal) ? id.Split('/')[^1] : id;
        var colon = name.LastIndexOf(':');
        var family = colon < 0 ? name : name[..colon];
        if (!State.Families.TryGetValue(family, out var revisions))
            throw new AwsError("ClientException", "Unable to describe task definition.");
        var td = colon < 0
            ? revisions.LastOrDefault(r => r.Status == "ACTIVE")
            : revisions.FirstOrDefault(r => r.Revision.ToString() == name[(colon + 1)..]);
        return (family, td ?? throw new AwsError("ClientException", "Unable to describe task definition."));
    }

    void SetTags(string arn, JsonArray? tags)
    {
        if (tags != null) MergeTags(TagsOf(State.Tags, arn), tags, "key", "value");
    }

    JsonArray Tags(string arn) =>
        new(State.Tags.GetValueOrDefault(arn)?.Select(t => (JsonNode?)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray() ?? []);

    static JsonObject Failure(string? arn, string reason) => new() { ["arn"] = arn, ["reason"] = reason };


    // ---------------- descriptions ----------------

    static string TaskDefinitionArn(RequestContext c, string family, int revision) => c.Arn("ecs", $"task-definition/{family}:{revision}");
    static string ServiceArn(RequestContext c, Cluster cluster, Service s) => c.Arn("ecs", $"service/{cluster.Name}/{s.Name}");
    static string TaskArn(RequestContext c, Cluster cluster, EcsTask t) => c.Arn("ecs", $"task/{cluster.Name}/{t.Id}");
    static string InstanceArn(RequestContext c, Cluster cluster, ContainerInstance x) => c.Arn("ecs", $"container-instance/{cluster.Name}/{x.Id}");

    JsonObject DescribeCluster(Cluster cl, RequestContext c)
    {
        var tasks = cl.Tasks.Where(t => t.StopRequested == null).ToList();
        return new JsonObject
        {
            ["clusterArn"] = c.Arn("ecs", $"cluster/{cl.Name}"), ["clusterName"] = cl.Name, ["status"] = cl.Status,
            ["registeredContainerInstancesCount"] = cl.Instances.Count,
            ["runningTasksCount"] = tasks.Count(t => LastStatus(t, c.Now) == "RUNNING"),
            ["pendingTasksCount"] = tasks.Count(t => LastStatus(t, c.Now) != "RUNNING"),
            ["activeServicesCount"] = cl.Services.Values.Count(s => s.Status == "ACTIVE"),
            ["capacityProviders"] = new JsonArray(cl.CapacityProviders.Select(p => (JsonNode?)p).ToArray()),
            ["tags"] = Tags(c.Arn("ecs", $"cluster/{cl.Name}")),
        };
    }

    static JsonObject DescribeTaskDefinition(string family, TaskDefinition td, RequestContext c)
    {
        var o = td.Spec.DeepClone().AsObject();
        o["taskDefinitionArn"] = TaskDefinitionArn(c, family, td.Revision);
        o["family"] = family;
        o["revision"] = td.Revision;
        o["status"] = td.Status;
        o["registeredAt"] = td.Registered.ToString("O");
        return o;
    }

    JsonObject DescribeInstance(Cluster cluster, ContainerInstance x, RequestContext c)
    {
        var tasks = cluster.Tasks.Where(t => t.ContainerInstance == x.Id && t.StopRequested == null).ToList();
        return new JsonObject
        {
            ["containerInstanceArn"] = InstanceArn(c, cluster, x), ["ec2InstanceId"] = x.Ec2InstanceId, ["status"] = x.Status,
            ["agentConnected"] = true, ["registeredAt"] = x.Registered.ToString("O"),
            ["runningTasksCount"] = tasks.Count(t => LastStatus(t, c.Now) == "RUNNING"),
            ["pendingTasksCount"] = tasks.Count(t => LastStatus(t, c.Now) != "RUNNING"),
            ["versionInfo"] = new JsonObject { ["agentVersion"] = "1.89.0", ["dockerVersion"] = "DockerVersion: 25.0.0" },
        };
    }

    JsonObject DescribeService(Cluster cluster, Service s, RequestContext c)
    {
        var live = ServiceTasks(cluster, s).ToList();
        var deployments = new JsonArray(s.Deployments.Select(d =>
        {
            var tasks = live.Where(t => t.DeploymentId == d.Id).ToList();
            return (JsonNode?)new JsonObject
            {
                ["id"] = d.Id, ["status"] = d.Status, ["taskDefinition"] = d.TaskDefinition,
                ["desiredCount"] = d.Status == "PRIMARY" ? s.DesiredCount : tasks.Count,
                ["runningCount"] = tasks.Count(t => LastStatus(t, c.Now) == "RUNNING"),
                ["pendingCount"] = tasks.Count(t => LastStatus(t, c.Now) != "RUNNING"),
                ["failedTasks"] = 0, ["createdAt"] = d.Created.ToString("O"), ["updatedAt"] = d.Updated.ToString("O"),
                ["launchType"] = s.LaunchType, ["rolloutState"] = d.RolloutState, ["rolloutStateReason"] = d.RolloutStateReason,
            };
        }).ToArray());
        return new JsonObject
        {
            ["serviceArn"] = ServiceArn(c, cluster, s), ["serviceName"] = s.Name, ["clusterArn"] = c.Arn("ecs", $"cluster/{cluster.Name}"),
            ["status"] = s.Status, ["desiredCount"] = s.DesiredCount,
            ["runningCount"] = live.Count(t => LastStatus(t, c.Now) == "RUNNING"),
            ["pendingCount"] = live.Count(t => LastStatus(t, c.Now) != "RUNNING"),
            ["launchType"] = s.LaunchType, ["taskDefinition"] = s.Deployments[0].TaskDefinition,
            ["deploymentConfiguration"] = new JsonObject
            {
                ["maximumPercent"] = s.MaximumPercent, ["minimumHealthyPercent"] = s.MinimumHealthyPercent,
                ["deploymentCircuitBreaker"] = new JsonObject { ["enable"] = false, ["rollback"] = false },
            },
            ["deployments"] = deployments,
            ["events"] = new JsonArray(s.Events.Take(20).Select(e => (JsonNode?)e.DeepClone()).ToArray()),
            ["createdAt"] = s.Created.ToString("O"), ["schedulingStrategy"] = "REPLICA",
            ["tags"] = Tags(ServiceArn(c, cluster, s)),
        };
    }

    JsonObject DescribeTask(Cluster cluster, EcsTask t, RequestContext c)
    {
        var last = LastStatus(t, c.Now);
        var o = new JsonObject
        {
            ["taskArn"] = TaskArn(c, cluster, t), ["clusterArn"] = c.Arn("ecs", $"cluster/{cluster.Name}"),
            ["taskDefinitionArn"] = t.TaskDefinition, ["lastStatus"] = last, ["desiredStatus"] = DesiredStatus(t),
            ["group"] = t.Group, ["startedBy"] = t.StartedBy, ["launchType"] = t.LaunchType,
            ["createdAt"] = t.Created.ToString("O"),
            ["containers"] = new JsonArray(new JsonObject
            {
                ["containerArn"] = c.Arn("ecs", $"container/{cluster.Name}/{t.Id}/worker"), ["lastStatus"] = last,
                ["name"] = (string?)FindTaskDefinitionOrNull(t.TaskDefinition)?["containerDefinitions"]?[0]?["name"] ?? "main",
            }),
        };
        if (t.ContainerInstance != null) o["containerInstanceArn"] = c.Arn("ecs", $"container-instance/{cluster.Name}/{t.ContainerInstance}");
        var startedAt = t.Created + _delay * 2;
        if (startedAt <= (t.StopRequested ?? c.Now)) o["startedAt"] = startedAt.ToString("O");   // it got as far as RUNNING
        if (t.StopRequested is { } stop)
        {
            o["stoppingAt"] = stop.ToString("O");
            o["stoppedReason"] = t.StoppedReason;
            o["stopCode"] = t.StopCode;
            if (last == "STOPPED") o["stoppedAt"] = (stop + _delay).ToString("O");
        }
        return o;
    }

    JsonObject? FindTaskDefinitionOrNull(string arn)
    {
        try { return FindTaskDefinition(arn).Definition.Spec; }
        catch (AwsError) { return null; }
    }

    JsonObject Protection(Cluster cluster, EcsTask t, RequestContext c)
    {
        var o = new JsonObject { ["taskArn"] = TaskArn(c, cluster, t), ["protectionEnabled"] = IsProtected(t, c.Now) };
        if (IsProtected(t, c.Now)) o["expirationDate"] = t.ProtectedUntil!.Value.ToString("O");
        return o;
    }
}
