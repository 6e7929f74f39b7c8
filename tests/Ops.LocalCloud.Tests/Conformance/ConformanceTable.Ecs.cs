using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests.Conformance;

/// <summary>The ECS rows: clusters, task definitions, container instances, services, tasks, task protection and tags.</summary>
public static partial class ConformanceTable
{
    const string EcsArn = "arn:aws:ecs:us-east-1:123456789012:";

    static readonly string[] EcsNetwork = ["--network-configuration", "awsvpcConfiguration={subnets=[subnet-0local000000000001],assignPublicIp=ENABLED}"];

    static string[] EcsRegisterArgs(ConformanceContext x) =>
    [
        "ecs", "register-task-definition", "--family", x.Name, "--requires-compatibilities", "EC2", "FARGATE", "--network-mode", "awsvpc",
        "--cpu", "256", "--memory", "512", "--container-definitions", """[{"name":"web","image":"public.ecr.aws/nginx/nginx:1.27","essential":true}]""",
    ];

    static string[] EcsCreateServiceArgs(ConformanceContext x) =>
        ["ecs", "create-service", "--cluster", x.Name, "--service-name", x.Name, "--task-definition", x.Name, "--desired-count", "1", "--launch-type", "FARGATE", .. EcsNetwork];

    static Task EcsCluster(ConformanceContext x) => x.Aws("ecs", "create-cluster", "--cluster-name", x.Name);

    static async Task EcsClusterAndTaskDefinition(ConformanceContext x)
    {
        await EcsCluster(x);
        await x.Aws(EcsRegisterArgs(x));
    }

    static async Task EcsStandaloneTask(ConformanceContext x)
    {
        await EcsClusterAndTaskDefinition(x);
        var run = await x.Aws(["ecs", "run-task", "--cluster", x.Name, "--task-definition", x.Name, "--launch-type", "FARGATE", .. EcsNetwork]);
        x.Values["task"] = (string)run!["tasks"]![0]!["taskArn"]!;
    }

    static async Task EcsService(ConformanceContext x)
    {
        await EcsClusterAndTaskDefinition(x);
        await x.Aws(EcsCreateServiceArgs(x));
    }

    /// <summary>A service with one task (task protection only applies to service tasks).</summary>
    static async Task EcsServiceTask(ConformanceContext x)
    {
        await EcsService(x);
        x.Values["task"] = (string)(await x.Aws("ecs", "list-tasks", "--cluster", x.Name, "--service-name", x.Name))!["taskArns"]![0]!;
    }

    static async Task EcsContainerInstance(ConformanceContext x)
    {
        await EcsCluster(x);
        var registered = await x.Aws("ecs", "register-container-instance", "--cluster", x.Name, "--instance-identity-document", """{"instanceId":"i-0c0f0000000000001"}""");
        x.Values["instance"] = (string)registered!["containerInstance"]!["containerInstanceArn"]!;
    }

    static IEnumerable<string?> AsStrings(JsonNode? array) => array!.AsArray().Select(n => (string?)n);

    /// <summary>A timestamp as the CLI prints it: epoch seconds (awsJson services) or ISO 8601.</summary>
    static DateTimeOffset AwsTime(JsonNode? value) => value!.GetValueKind() == System.Text.Json.JsonValueKind.Number
        ? DateTimeOffset.FromUnixTimeMilliseconds((long)((double)value * 1000))
        : DateTimeOffset.Parse((string)value!);

    static ConformanceRow[] Ecs =>
    [
        // ---------------- clusters ----------------
        Row("ecs", "CreateCluster", x => ["ecs", "create-cluster", "--cluster-name", x.Name], (x, r) =>
        {
            var c = r!["cluster"]!;
            Assert.Equal((x.Name, "ACTIVE", $"{EcsArn}cluster/{x.Name}"), ((string?)c["clusterName"], (string?)c["status"], (string?)c["clusterArn"]));
            Assert.Equal((0, 0, 0), ((int)c["registeredContainerInstancesCount"]!, (int)c["runningTasksCount"]!, (int)c["activeServicesCount"]!));
            return Done;
        }),
        Row("ecs", "DescribeClusters", x => ["ecs", "describe-clusters", "--clusters", x.Name, "nosuch-" + x.Name], (x, r) =>
        {
            var c = r!["clusters"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "ACTIVE", $"{EcsArn}cluster/{x.Name}"), ((string?)c["clusterName"], (string?)c["status"], (string?)c["clusterArn"]));
            var f = r["failures"]!.AsArray().Single()!;
            Assert.Equal(($"{EcsArn}cluster/nosuch-{x.Name}", "MISSING"), ((string?)f["arn"], (string?)f["reason"]));
            return Done;
        }, EcsCluster),
        Row("ecs", "ListClusters", _ => ["ecs", "list-clusters", "--no-paginate"], (x, r) =>
        {
            Assert.Contains($"{EcsArn}cluster/{x.Name}", AsStrings(r!["clusterArns"]));
            return Done;
        }, EcsCluster),
        Row("ecs", "DeleteCluster", x => ["ecs", "delete-cluster", "--cluster", x.Name], async (x, r) =>
        {
            Assert.Equal((x.Name, "INACTIVE"), ((string?)r!["cluster"]!["clusterName"], (string?)r["cluster"]!["status"]));
            Assert.DoesNotContain($"{EcsArn}cluster/{x.Name}", AsStrings((await x.Aws("ecs", "list-clusters", "--no-paginate"))!["clusterArns"]));
        }, EcsCluster),
        Error("ecs", "DeleteCluster", x => ["ecs", "delete-cluster", "--cluster", x.Name], "ClusterNotFoundException"),
        Error("ecs", "DeleteCluster", x => ["ecs", "delete-cluster", "--cluster", x.Name], "ClusterContainsServicesException", EcsService),
        Row("ecs", "PutClusterCapacityProviders", x => ["ecs", "put-cluster-capacity-providers", "--cluster", x.Name, "--capacity-providers", "FARGATE", "FARGATE_SPOT",
            "--default-capacity-provider-strategy", "capacityProvider=FARGATE,weight=1,base=1"], (x, r) =>
        {
            var c = r!["cluster"]!;
            Assert.Equal(["FARGATE", "FARGATE_SPOT"], AsStrings(c["capacityProviders"]));
            Assert.True(c["defaultCapacityProviderStrategy"] is JsonArray, "cluster.defaultCapacityProviderStrategy is missing from the response.");
            var strategy = Assert.Single(c["defaultCapacityProviderStrategy"]!.AsArray())!;
            Assert.Equal(("FARGATE", 1, 1), ((string?)strategy["capacityProvider"], (int)strategy["weight"]!, (int)strategy["base"]!));
            return Done;
        }, EcsCluster),

        // ---------------- task definitions ----------------
        Row("ecs", "RegisterTaskDefinition", EcsRegisterArgs, (x, r) =>
        {
            var td = r!["taskDefinition"]!;
            Assert.Equal(($"{EcsArn}task-definition/{x.Name}:1", x.Name, 1, "ACTIVE"),
                ((string?)td["taskDefinitionArn"], (string?)td["family"], (int)td["revision"]!, (string?)td["status"]));
            Assert.Equal(("web", "public.ecr.aws/nginx/nginx:1.27"), ((string?)td["containerDefinitions"]![0]!["name"], (string?)td["containerDefinitions"]![0]!["image"]));
            return Done;
        }),
        Row("ecs", "DescribeTaskDefinition", x => ["ecs", "describe-task-definition", "--task-definition", x.Name], (x, r) =>
        {
            var td = r!["taskDefinition"]!;
            Assert.Equal(($"{EcsArn}task-definition/{x.Name}:2", 2, "awsvpc", "256", "512"),
                ((string?)td["taskDefinitionArn"], (int)td["revision"]!, (string?)td["networkMode"], (string?)td["cpu"], (string?)td["memory"]));
            return Done;
        }, async x =>
        {
            await x.Aws(EcsRegisterArgs(x));
            await x.Aws(EcsRegisterArgs(x));
        }),
        Error("ecs", "DescribeTaskDefinition", x => ["ecs", "describe-task-definition", "--task-definition", x.Name + ":1"], "ClientException"),
        Row("ecs", "ListTaskDefinitions", x => ["ecs", "list-task-definitions", "--family-prefix", x.Name, "--no-paginate"], (x, r) =>
        {
            Assert.Equal([$"{EcsArn}task-definition/{x.Name}:1", $"{EcsArn}task-definition/{x.Name}:2"], AsStrings(r!["taskDefinitionArns"]));
            return Done;
        }, async x =>
        {
            await x.Aws(EcsRegisterArgs(x));
            await x.Aws(EcsRegisterArgs(x));
        }),
        Row("ecs", "ListTaskDefinitionFamilies", x => ["ecs", "list-task-definition-families", "--family-prefix", x.Name, "--no-paginate"], (x, r) =>
        {
            Assert.Equal([x.Name], AsStrings(r!["families"]));
            return Done;
        }, x => x.Aws(EcsRegisterArgs(x))),
        Row("ecs", "DeregisterTaskDefinition", x => ["ecs", "deregister-task-definition", "--task-definition", x.Name + ":1"], async (x, r) =>
        {
            var td = r!["taskDefinition"]!;
            Assert.Equal(($"{EcsArn}task-definition/{x.Name}:1", "INACTIVE"), ((string?)td["taskDefinitionArn"], (string?)td["status"]));
            Assert.Empty((await x.Aws("ecs", "list-task-definitions", "--family-prefix", x.Name))!["taskDefinitionArns"]!.AsArray());
        }, x => x.Aws(EcsRegisterArgs(x))),
        Row("ecs", "DeleteTaskDefinitions", x => ["ecs", "delete-task-definitions", "--task-definitions", x.Name + ":1"], (x, r) =>
        {
            var td = r!["taskDefinitions"]!.AsArray().Single()!;
            Assert.Equal(($"{EcsArn}task-definition/{x.Name}:1", "DELETE_IN_PROGRESS"), ((string?)td["taskDefinitionArn"], (string?)td["status"]));
            Assert.Empty(r["failures"]!.AsArray());
            return Done;
        }, async x =>
        {
            await x.Aws(EcsRegisterArgs(x));
            await x.Aws("ecs", "deregister-task-definition", "--task-definition", x.Name + ":1");
        }),

        // ---------------- container instances ----------------
        Row("ecs", "RegisterContainerInstance", x => ["ecs", "register-container-instance", "--cluster", x.Name, "--instance-identity-document", """{"instanceId":"i-0c0f0000000000002"}"""],
            (x, r) =>
            {
                var ci = r!["containerInstance"]!;
                Assert.Equal(("i-0c0f0000000000002", "ACTIVE", true), ((string?)ci["ec2InstanceId"], (string?)ci["status"], (bool)ci["agentConnected"]!));
                Assert.StartsWith($"{EcsArn}container-instance/{x.Name}/", (string?)ci["containerInstanceArn"]);
                return Done;
            }, EcsCluster),
        Row("ecs", "DeregisterContainerInstance", x => ["ecs", "deregister-container-instance", "--cluster", x.Name, "--container-instance", x["instance"]], async (x, r) =>
        {
            Assert.Equal((x["instance"], "i-0c0f0000000000001"), ((string?)r!["containerInstance"]!["containerInstanceArn"], (string?)r["containerInstance"]!["ec2InstanceId"]));
            Assert.Empty((await x.Aws("ecs", "list-container-instances", "--cluster", x.Name))!["containerInstanceArns"]!.AsArray());
        }, EcsContainerInstance),
        Row("ecs", "ListContainerInstances", x => ["ecs", "list-container-instances", "--cluster", x.Name, "--no-paginate"], (x, r) =>
        {
            Assert.Equal([x["instance"]], AsStrings(r!["containerInstanceArns"]));
            return Done;
        }, EcsContainerInstance),
        Row("ecs", "DescribeContainerInstances", x => ["ecs", "describe-container-instances", "--cluster", x.Name, "--container-instances", x["instance"], "0123456789abcdef0123456789abcdef"],
            (x, r) =>
            {
                var ci = r!["containerInstances"]!.AsArray().Single()!;
                Assert.Equal((x["instance"], "i-0c0f0000000000001", "ACTIVE", 0),
                    ((string?)ci["containerInstanceArn"], (string?)ci["ec2InstanceId"], (string?)ci["status"], (int)ci["runningTasksCount"]!));
                Assert.Equal("MISSING", (string?)r["failures"]!.AsArray().Single()!["reason"]);
                return Done;
            }, EcsContainerInstance),
        Row("ecs", "UpdateContainerInstancesState", x => ["ecs", "update-container-instances-state", "--cluster", x.Name, "--container-instances", x["instance"], "--status", "DRAINING"],
            (x, r) =>
            {
                var ci = r!["containerInstances"]!.AsArray().Single()!;
                Assert.Equal((x["instance"], "DRAINING"), ((string?)ci["containerInstanceArn"], (string?)ci["status"]));
                Assert.Empty(r["failures"]!.AsArray());
                return Done;
            }, EcsContainerInstance),

        // ---------------- services ----------------
        Row("ecs", "CreateService", EcsCreateServiceArgs, (x, r) =>
        {
            var s = r!["service"]!;
            Assert.Equal(($"{EcsArn}service/{x.Name}/{x.Name}", x.Name, $"{EcsArn}cluster/{x.Name}", "ACTIVE", 1, "FARGATE"),
                ((string?)s["serviceArn"], (string?)s["serviceName"], (string?)s["clusterArn"], (string?)s["status"], (int)s["desiredCount"]!, (string?)s["launchType"]));
            Assert.Equal($"{EcsArn}task-definition/{x.Name}:1", (string?)s["taskDefinition"]);
            var d = s["deployments"]!.AsArray().Single()!;
            Assert.Equal(("PRIMARY", $"{EcsArn}task-definition/{x.Name}:1", 1), ((string?)d["status"], (string?)d["taskDefinition"], (int)d["desiredCount"]!));
            return Done;
        }, EcsClusterAndTaskDefinition),
        Error("ecs", "CreateService", EcsCreateServiceArgs, "InvalidParameterException", EcsService),
        Error("ecs", "CreateService", EcsCreateServiceArgs, "ClusterNotFoundException"),
        Row("ecs", "DescribeServices", x => ["ecs", "describe-services", "--cluster", x.Name, "--services", x.Name, "nosuch"], (x, r) =>
        {
            var s = r!["services"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "ACTIVE", 1, 1, 0), ((string?)s["serviceName"], (string?)s["status"], (int)s["desiredCount"]!, (int)s["runningCount"]!, (int)s["pendingCount"]!));
            var d = s["deployments"]!.AsArray().Single()!;
            Assert.Equal(("COMPLETED", $"ECS deployment {d["id"]} completed.", 0, 1, 0),
                ((string?)d["rolloutState"], (string?)d["rolloutStateReason"], (int)d["failedTasks"]!, (int)d["runningCount"]!, (int)d["pendingCount"]!));
            var f = r["failures"]!.AsArray().Single()!;
            Assert.Equal(($"{EcsArn}service/{x.Name}/nosuch", "MISSING"), ((string?)f["arn"], (string?)f["reason"]));
            return Done;
        }, EcsService),
        Row("ecs", "ListServices", x => ["ecs", "list-services", "--cluster", x.Name, "--no-paginate"], (x, r) =>
        {
            Assert.Equal([$"{EcsArn}service/{x.Name}/{x.Name}"], AsStrings(r!["serviceArns"]));
            return Done;
        }, EcsService),
        Row("ecs", "UpdateService", x => ["ecs", "update-service", "--cluster", x.Name, "--service", x.Name, "--desired-count", "2", "--force-new-deployment",
            "--deployment-configuration", "deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200,minimumHealthyPercent=100"], (x, r) =>
        {
            var s = r!["service"]!;
            Assert.Equal((x.Name, 2), ((string?)s["serviceName"], (int)s["desiredCount"]!));
            Assert.True((bool)s["deploymentConfiguration"]!["deploymentCircuitBreaker"]!["enable"]! && (bool)s["deploymentConfiguration"]!["deploymentCircuitBreaker"]!["rollback"]!);
            // Forced with the same task definition: a new deployment replaced the task (lifecycles are instant here).
            var d = s["deployments"]!.AsArray().Single()!;
            Assert.NotEqual(x["deployment"], (string?)d["id"]);
            Assert.Equal(("PRIMARY", "COMPLETED", $"{EcsArn}task-definition/{x.Name}:1", 2, 2, 0),
                ((string?)d["status"], (string?)d["rolloutState"], (string?)d["taskDefinition"], (int)d["desiredCount"]!, (int)d["runningCount"]!, (int)d["failedTasks"]!));
            return Done;
        }, async x =>
        {
            await EcsService(x);
            x.Values["deployment"] = (string)(await x.Aws("ecs", "describe-services", "--cluster", x.Name, "--services", x.Name))!["services"]![0]!["deployments"]![0]!["id"]!;
        }),
        Error("ecs", "UpdateService", x => ["ecs", "update-service", "--cluster", x.Name, "--service", x.Name, "--desired-count", "2"], "ServiceNotFoundException", EcsCluster),
        Row("ecs", "DeleteService", x => ["ecs", "delete-service", "--cluster", x.Name, "--service", x.Name, "--force"], async (x, r) =>
        {
            var s = r!["service"]!;
            Assert.Equal((x.Name, 0), ((string?)s["serviceName"], (int)s["desiredCount"]!));
            Assert.Contains((string?)s["status"], new[] { "DRAINING", "INACTIVE" });
            Assert.Empty((await x.Aws("ecs", "list-services", "--cluster", x.Name))!["serviceArns"]!.AsArray());
        }, EcsService),
        Error("ecs", "DeleteService", x => ["ecs", "delete-service", "--cluster", x.Name, "--service", x.Name], "ServiceNotFoundException", EcsCluster),

        // ---------------- tasks ----------------
        Row("ecs", "RunTask", x => ["ecs", "run-task", "--cluster", x.Name, "--task-definition", x.Name, "--launch-type", "FARGATE", "--started-by", "conformance", .. EcsNetwork],
            (x, r) =>
            {
                var t = r!["tasks"]!.AsArray().Single()!;
                Assert.Equal(($"{EcsArn}cluster/{x.Name}", $"{EcsArn}task-definition/{x.Name}:1", "RUNNING", "FARGATE", "conformance", $"family:{x.Name}"),
                    ((string?)t["clusterArn"], (string?)t["taskDefinitionArn"], (string?)t["desiredStatus"], (string?)t["launchType"], (string?)t["startedBy"], (string?)t["group"]));
                Assert.StartsWith($"{EcsArn}task/{x.Name}/", (string?)t["taskArn"]);
                Assert.Empty(r["failures"]!.AsArray());
                return Done;
            }, EcsClusterAndTaskDefinition),
        Error("ecs", "RunTask", x => ["ecs", "run-task", "--cluster", x.Name, "--task-definition", x.Name, "--launch-type", "FARGATE", .. EcsNetwork], "ClusterNotFoundException"),
        Error("ecs", "RunTask", x => ["ecs", "run-task", "--cluster", x.Name, "--task-definition", x.Name, "--launch-type", "FARGATE", "--count", "11", .. EcsNetwork],
            "InvalidParameterException", EcsClusterAndTaskDefinition),
        Row("ecs", "StartTask", x => ["ecs", "start-task", "--cluster", x.Name, "--task-definition", x.Name, "--container-instances", x["instance"], "--started-by", "conformance", .. EcsNetwork],
            (x, r) =>
            {
                var t = r!["tasks"]!.AsArray().Single()!;
                Assert.Equal((x["instance"], $"{EcsArn}task-definition/{x.Name}:1", "EC2", "conformance", "RUNNING"),
                    ((string?)t["containerInstanceArn"], (string?)t["taskDefinitionArn"], (string?)t["launchType"], (string?)t["startedBy"], (string?)t["desiredStatus"]));
                Assert.Empty(r["failures"]!.AsArray());
                return Done;
            }, async x =>
            {
                await EcsContainerInstance(x);
                await x.Aws(EcsRegisterArgs(x));
            }),
        Row("ecs", "StopTask", x => ["ecs", "stop-task", "--cluster", x.Name, "--task", x["task"], "--reason", "conformance says stop"], (x, r) =>
        {
            var t = r!["task"]!;
            Assert.Equal((x["task"], "STOPPED", "conformance says stop", "UserInitiated"),
                ((string?)t["taskArn"], (string?)t["desiredStatus"], (string?)t["stoppedReason"], (string?)t["stopCode"]));
            return Done;
        }, EcsStandaloneTask),
        Error("ecs", "StopTask", x => ["ecs", "stop-task", "--cluster", x.Name, "--task", "0123456789abcdef0123456789abcdef"], "InvalidParameterException", EcsCluster),
        Row("ecs", "DescribeTasks", x => ["ecs", "describe-tasks", "--cluster", x.Name, "--tasks", x["task"], "0123456789abcdef0123456789abcdef"], (x, r) =>
        {
            var t = r!["tasks"]!.AsArray().Single()!;
            Assert.Equal((x["task"], "RUNNING", "RUNNING", $"{EcsArn}task-definition/{x.Name}:1"),
                ((string?)t["taskArn"], (string?)t["lastStatus"], (string?)t["desiredStatus"], (string?)t["taskDefinitionArn"]));
            Assert.Equal("web", (string?)t["containers"]![0]!["name"]);
            Assert.Equal("MISSING", (string?)r["failures"]!.AsArray().Single()!["reason"]);
            return Done;
        }, EcsStandaloneTask),
        Row("ecs", "ListTasks", x => ["ecs", "list-tasks", "--cluster", x.Name, "--family", x.Name, "--no-paginate"], (x, r) =>
        {
            Assert.Equal([x["task"]], AsStrings(r!["taskArns"]));
            return Done;
        }, EcsStandaloneTask),
        Row("ecs", "UpdateTaskProtection", x => ["ecs", "update-task-protection", "--cluster", x.Name, "--tasks", x["task"], "--protection-enabled", "--expires-in-minutes", "60"],
            (x, r) =>
            {
                var p = r!["protectedTasks"]!.AsArray().Single()!;
                Assert.Equal((x["task"], true), ((string?)p["taskArn"], (bool)p["protectionEnabled"]!));
                var expires = AwsTime(p["expirationDate"]);
                Assert.InRange(expires, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(65));
                Assert.Empty(r["failures"]!.AsArray());
                return Done;
            }, EcsServiceTask),
        Error("ecs", "UpdateTaskProtection", x => ["ecs", "update-task-protection", "--cluster", x.Name, "--tasks", x["task"], "--protection-enabled", "--expires-in-minutes", "2881"],
            "InvalidParameterException", EcsServiceTask),
        Row("ecs", "GetTaskProtection", x => ["ecs", "get-task-protection", "--cluster", x.Name, "--tasks", x["task"]], (x, r) =>
        {
            var p = r!["protectedTasks"]!.AsArray().Single()!;
            Assert.Equal((x["task"], false), ((string?)p["taskArn"], (bool)p["protectionEnabled"]!));
            Assert.Empty(r["failures"]!.AsArray());
            return Done;
        }, EcsServiceTask),

        // ---------------- tags ----------------
        Row("ecs", "TagResource", x => ["ecs", "tag-resource", "--resource-arn", $"{EcsArn}cluster/{x.Name}", "--tags", "key=team,value=iot"], async (x, _) =>
        {
            var tags = (await x.Aws("ecs", "list-tags-for-resource", "--resource-arn", $"{EcsArn}cluster/{x.Name}"))!["tags"]!.AsArray();
            Assert.Equal([("team", "iot")], tags.Select(t => ((string?)t!["key"], (string?)t["value"])));
        }, EcsCluster),
        Row("ecs", "UntagResource", x => ["ecs", "untag-resource", "--resource-arn", $"{EcsArn}cluster/{x.Name}", "--tag-keys", "team"], async (x, _) =>
        {
            var tags = (await x.Aws("ecs", "list-tags-for-resource", "--resource-arn", $"{EcsArn}cluster/{x.Name}"))!["tags"]!.AsArray();
            Assert.Equal([("stage", "dev")], tags.Select(t => ((string?)t!["key"], (string?)t["value"])));
        }, x => x.Aws("ecs", "create-cluster", "--cluster-name", x.Name, "--tags", "key=team,value=iot", "key=stage,value=dev")),
        Row("ecs", "ListTagsForResource", x => ["ecs", "list-tags-for-resource", "--resource-arn", $"{EcsArn}cluster/{x.Name}"], (_, r) =>
        {
            Assert.Equal([("stage", "dev"), ("team", "iot")], r!["tags"]!.AsArray().Select(t => ((string?)t!["key"], (string?)t["value"])).Order());
            return Done;
        }, x => x.Aws("ecs", "create-cluster", "--cluster-name", x.Name, "--tags", "key=team,value=iot", "key=stage,value=dev")),
    ];
}
