using Ops.Stack.Fleet;

namespace Ops.Stack.Tests;

/// <summary>The fleet targets' domain on LocalCloud over the real wire, checked with the aws CLI and LocalCloud's request log.</summary>
[Collection(FleetCloudCollection.Name)]
public sealed class FleetLocalCloudTests(FleetCloud cloud)
{
    [Fact]
    public async Task Create_queues_creates_both_pairs_then_is_up_to_date_then_corrects_drift()
    {
        var stack = FleetCloud.Stack("q1");
        var log = new CapturedLog();
        await new QueueProvisioner(cloud.Context(stack, log)).EnsureAsync(default);

        var url = (await AwsCli.Run(cloud.Server.Url, "sqs", "get-queue-url", "--queue-name", "iotile-worker-q1"))!["QueueUrl"]!.ToString();
        var attributes = (await AwsCli.Run(cloud.Server.Url, "sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All"))!["Attributes"]!;
        Assert.Equal("900", attributes["VisibilityTimeout"]!.ToString());
        Assert.Equal("true", attributes["SqsManagedSseEnabled"]!.ToString());
        Assert.Contains("iotile-worker-q1-dlq", attributes["RedrivePolicy"]!.ToString());
        var tags = (await AwsCli.Run(cloud.Server.Url, "sqs", "list-queue-tags", "--queue-url", url))!["Tags"]!;
        Assert.Equal("IOTileCloud", tags["Project"]!.ToString());
        await AwsCli.Run(cloud.Server.Url, "sqs", "get-queue-url", "--queue-name", "iotile-report-q1-dlq");

        var before = cloud.Server.Requests.Entries.Count;
        var again = new CapturedLog();
        Assert.Empty(await new QueueProvisioner(cloud.Context(stack, again)).EnsureAsync(default));
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("queue iotile-worker-q1: up to date", again.Text);

        await AwsCli.Run(cloud.Server.Url, "sqs", "set-queue-attributes", "--queue-url", url, "--attributes", "VisibilityTimeout=30");
        var fix = new CapturedLog();
        await new QueueProvisioner(cloud.Context(stack, fix)).EnsureAsync(default);
        Assert.Contains("queue iotile-worker-q1: VisibilityTimeout 30 → 900", fix.Text);
        attributes = (await AwsCli.Run(cloud.Server.Url, "sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "VisibilityTimeout"))!["Attributes"]!;
        Assert.Equal("900", attributes["VisibilityTimeout"]!.ToString());
    }

    [Fact]
    public async Task Dry_run_of_create_queues_and_create_ecs_makes_no_mutating_call()
    {
        var stack = FleetCloud.Stack("dry1");
        var before = cloud.Server.Requests.Entries.Count;
        var log = new CapturedLog();
        var changes = await new QueueProvisioner(cloud.Context(stack, log, dryRun: true)).EnsureAsync(default);
        changes = [.. changes, .. await new EcsProvisioner(cloud.Context(stack, log, dryRun: true)).EnsureAsync(default)];
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("would change queue iotile-worker-dry1: create", log.Text);
        Assert.Contains("would change service iotile-worker-dry1: create", log.Text);
        Assert.NotEmpty(changes);
        var (code, _, _) = await AwsCli.Try(cloud.Server.Url, "sqs", "get-queue-url", "--queue-name", "iotile-worker-dry1");
        Assert.NotEqual(0, code);
    }

    [Fact]
    public async Task An_ec2_stack_on_the_local_cloud_gets_an_ec2_service_and_a_warning_that_its_tasks_wait_for_an_instance()
    {
        var ec2 = FleetCloud.Stack("ec2l");
        var stack = ec2 with { Ecs = ec2.Ecs with { LaunchType = "EC2" } };
        var log = new CapturedLog();
        await new RepositoryProvisioner(cloud.Context(stack, log)).EnsureAsync(default);
        await new EcsProvisioner(cloud.Context(stack, log) with { WaitForService = false }).EnsureAsync(default);
        Assert.Contains("ecs.launch-type is EC2 and cluster iotile-ec2l has no container instance", log.Text);
        var service = (await AwsCli.Run(cloud.Server.Url, "ecs", "describe-services", "--cluster", "iotile-ec2l", "--services", "iotile-worker-ec2l"))!["services"]![0]!;
        Assert.Equal("EC2", service["launchType"]!.ToString());
        Assert.Equal(0, (int)service["runningCount"]!);
    }

    [Fact]
    public async Task Create_ecr_repository_is_immutable_scanned_with_lifecycle_and_corrects_drift()
    {
        var stack = FleetCloud.Stack("r1") with { Repository = new() { Name = "fleet-r1", KeepImages = 7 } };
        await new RepositoryProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default);
        var repo = (await AwsCli.Run(cloud.Server.Url, "ecr", "describe-repositories", "--repository-names", "fleet-r1"))!["repositories"]![0]!;
        Assert.Equal("IMMUTABLE", repo["imageTagMutability"]!.ToString());
        Assert.Equal("true", repo["imageScanningConfiguration"]!["scanOnPush"]!.ToString().ToLowerInvariant());
        Assert.Equal("AES256", repo["encryptionConfiguration"]!["encryptionType"]!.ToString());
        var policy = (await AwsCli.Run(cloud.Server.Url, "ecr", "get-lifecycle-policy", "--repository-name", "fleet-r1"))!["lifecyclePolicyText"]!.ToString();
        Assert.Contains("\"countNumber\":7", policy);

        var before = cloud.Server.Requests.Entries.Count;
        var again = new CapturedLog();
        await new RepositoryProvisioner(cloud.Context(stack, again)).EnsureAsync(default);
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("repository fleet-r1: up to date", again.Text);

        await AwsCli.Run(cloud.Server.Url, "ecr", "put-image-tag-mutability", "--repository-name", "fleet-r1", "--image-tag-mutability", "MUTABLE");
        var fix = new CapturedLog();
        await new RepositoryProvisioner(cloud.Context(stack with { Repository = new() { Name = "fleet-r1", KeepImages = 9 } }, fix)).EnsureAsync(default);
        Assert.Contains("repository fleet-r1: imageTagMutability MUTABLE → IMMUTABLE", fix.Text);
        Assert.Contains("lifecycle policy keep the last 7 images → keep the last 9 images", fix.Text);
        repo = (await AwsCli.Run(cloud.Server.Url, "ecr", "describe-repositories", "--repository-names", "fleet-r1"))!["repositories"]![0]!;
        Assert.Equal("IMMUTABLE", repo["imageTagMutability"]!.ToString());
    }

    [Fact]
    public async Task Create_worker_log_table_has_the_original_schema_and_is_then_up_to_date()
    {
        var stack = FleetCloud.Stack("t1");
        await new WorkerLogTableProvisioner(cloud.Context(stack, new CapturedLog())).EnsureAsync(default);
        var table = (await AwsCli.Run(cloud.Server.Url, "dynamodb", "describe-table", "--table-name", "iotile-worker-logs-t1"))!["Table"]!;
        Assert.Equal("ACTIVE", table["TableStatus"]!.ToString());
        Assert.Equal("worker_uuid", table["KeySchema"]![0]!["AttributeName"]!.ToString());
        Assert.Equal("timestamp", table["KeySchema"]![1]!["AttributeName"]!.ToString());
        Assert.Equal("PAY_PER_REQUEST", table["BillingModeSummary"]!["BillingMode"]!.ToString());
        var index = table["GlobalSecondaryIndexes"]![0]!;
        Assert.Equal("task-index", index["IndexName"]!.ToString());
        Assert.Equal("ALL", index["Projection"]!["ProjectionType"]!.ToString());

        var before = cloud.Server.Requests.Entries.Count;
        var again = new CapturedLog();
        await new WorkerLogTableProvisioner(cloud.Context(stack, again)).EnsureAsync(default);
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("table iotile-worker-logs-t1: up to date", again.Text);
    }

    [Fact]
    public async Task Create_ecs_runs_the_local_command_is_idempotent_corrects_drift_and_terminate_keeps_the_rest()
    {
        var stack = FleetCloud.Stack("e1");
        var log = new CapturedLog();
        await new QueueProvisioner(cloud.Context(stack, log)).EnsureAsync(default);
        await new RepositoryProvisioner(cloud.Context(stack, log)).EnsureAsync(default);
        await new EcsProvisioner(cloud.Context(stack, log)).EnsureAsync(default);

        var definition = (await AwsCli.Run(cloud.Server.Url, "ecs", "describe-task-definition", "--task-definition", "iotile-worker-e1"))!["taskDefinition"]!;
        var container = definition["containerDefinitions"]![0]!;
        Assert.EndsWith("/iotile-cloud-server:local-command", container["image"]!.ToString());
        Assert.Equal("""["sleep","600"]""", container["dockerLabels"]!["ops.local.command"]!.ToString());
        Assert.Equal(FleetCloud.RepositoryRoot, container["dockerLabels"]!["ops.local.directory"]!.ToString());
        Assert.Equal("awslogs", container["logConfiguration"]!["logDriver"]!.ToString());
        Assert.Contains(container["environment"]!.AsArray(), e => e!["name"]!.ToString() == "OPS_WORK_QUEUE" && e["value"]!.ToString() == "iotile-worker-e1");
        var service = (await AwsCli.Run(cloud.Server.Url, "ecs", "describe-services", "--cluster", "iotile-e1", "--services", "iotile-worker-e1"))!["services"]![0]!;
        Assert.Equal(1, (int)service["desiredCount"]!);
        Assert.True((bool)service["deploymentConfiguration"]!["deploymentCircuitBreaker"]!["rollback"]!);
        await AwsCli.Run(cloud.Server.Url, "logs", "describe-log-groups", "--log-group-name-prefix", "/ecs/iotile-worker-e1");

        var before = cloud.Server.Requests.Entries.Count;
        var again = new CapturedLog();
        Assert.Empty(await new EcsProvisioner(cloud.Context(stack, again)).EnsureAsync(default));
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("ecs iotile-e1/iotile-worker-e1: up to date", again.Text);

        await AwsCli.Run(cloud.Server.Url, "ecs", "update-service", "--cluster", "iotile-e1", "--service", "iotile-worker-e1", "--desired-count", "3");
        var drifted = stack with { Ecs = stack.Ecs with { Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "debug" } } };
        var fix = new CapturedLog();
        await new EcsProvisioner(cloud.Context(drifted, fix)).EnsureAsync(default);
        Assert.Contains("task definition iotile-worker-e1:1: environment LOG_LEVEL (unset) → debug", fix.Text);
        Assert.Contains("service iotile-worker-e1: desired count 3 → 1", fix.Text);
        service = (await AwsCli.Run(cloud.Server.Url, "ecs", "describe-services", "--cluster", "iotile-e1", "--services", "iotile-worker-e1"))!["services"]![0]!;
        Assert.Equal(1, (int)service["desiredCount"]!);
        Assert.EndsWith("iotile-worker-e1:2", service["taskDefinition"]!.ToString());

        var description = await new FleetDescriber(cloud.Context(drifted, new CapturedLog())).DescribeAsync(default);
        Assert.Equal("iotile-worker-e1", description.Service!.Name);
        Assert.Contains(description.Tasks, t => t.DesiredStatus == "RUNNING" && t.TaskDefinition == "iotile-worker-e1:2");
        Assert.Contains("\"rolloutState\"", System.Text.Json.JsonSerializer.Serialize(description, FleetDescriber.Json));

        before = cloud.Server.Requests.Entries.Count;
        var plan = new CapturedLog();
        var planned = await new FleetTerminator(cloud.Context(drifted, plan, dryRun: true)).TerminateAsync(default);
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("would change service iotile-worker-e1: desired count 1 → 0", plan.Text);
        Assert.Equal(4, planned.Count);

        await new FleetTerminator(cloud.Context(drifted, new CapturedLog())).TerminateAsync(default);
        var services = (await AwsCli.Run(cloud.Server.Url, "ecs", "describe-services", "--cluster", "iotile-e1", "--services", "iotile-worker-e1"))!["services"]!.AsArray();
        Assert.All(services, s => Assert.NotEqual("ACTIVE", s!["status"]!.ToString()));
        var active = (await AwsCli.Run(cloud.Server.Url, "ecs", "list-task-definitions", "--family-prefix", "iotile-worker-e1", "--status", "ACTIVE"))!["taskDefinitionArns"]!.AsArray();
        Assert.Empty(active);
        Assert.Equal("ACTIVE", (await AwsCli.Run(cloud.Server.Url, "ecs", "describe-clusters", "--clusters", "iotile-e1"))!["clusters"]![0]!["status"]!.ToString());
        await AwsCli.Run(cloud.Server.Url, "sqs", "get-queue-url", "--queue-name", "iotile-worker-e1");
        await AwsCli.Run(cloud.Server.Url, "ecr", "describe-repositories", "--repository-names", "iotile-cloud-server");

        var rerun = new CapturedLog();
        Assert.Empty(await new FleetTerminator(cloud.Context(drifted, rerun)).TerminateAsync(default));
        Assert.Contains("nothing to terminate", rerun.Text);
    }

    [Fact]
    public async Task Create_ec2_instances_launches_the_missing_ones_egress_only_and_terminate_removes_them()
    {
        var stack = FleetCloud.Stack("i1") with { Instances = FleetCloud.Stack("i1").Instances with { Count = 2 } };
        var log = new CapturedLog();
        await new InstanceProvisioner(cloud.Context(stack, log)).EnsureAsync(default);
        var reservations = (await AwsCli.Run(cloud.Server.Url, "ec2", "describe-instances", "--filters", "Name=tag:Stage,Values=i1", "Name=instance-state-name,Values=running"))!["Reservations"]!.AsArray();
        var instances = reservations.SelectMany(r => r!["Instances"]!.AsArray()).ToList();
        Assert.Equal(2, instances.Count);
        Assert.Equal("ami-0ecs0000000000001", instances[0]!["ImageId"]!.ToString());
        var group = (await AwsCli.Run(cloud.Server.Url, "ec2", "describe-security-groups", "--filters", "Name=group-name,Values=iotile-ecs-i1"))!["SecurityGroups"]![0]!;
        Assert.Empty(group["IpPermissions"]!.AsArray());

        var before = cloud.Server.Requests.Entries.Count;
        var again = new CapturedLog();
        Assert.Empty(await new InstanceProvisioner(cloud.Context(stack, again)).EnsureAsync(default));
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("instances: up to date (2 of 2", again.Text);

        await new FleetTerminator(cloud.Context(stack, new CapturedLog())).TerminateAsync(default);
        reservations = (await AwsCli.Run(cloud.Server.Url, "ec2", "describe-instances", "--filters", "Name=tag:Stage,Values=i1", "Name=instance-state-name,Values=running,pending"))!["Reservations"]!.AsArray();
        Assert.Empty(reservations.SelectMany(r => r!["Instances"]!.AsArray()));
    }
}
