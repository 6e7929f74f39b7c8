namespace Ops.LocalCloud.Tests;

/// <summary>
/// State files written before the services were split into folders (ecs.json, ec2.json, … with the property names of
/// the old nested state classes) still load: a local cloud started on them answers with their resources.
/// </summary>
public class StateCompatibilityTests
{
    const string Account = "123456789012";
    const string TaskDefinition = $"arn:aws:ecs:us-east-1:{Account}:task-definition/worker:1";
    const string Deployment = "ecs-svc/1234567890123456789";

    static readonly Dictionary<string, string> OldStateFiles = new()
    {
        ["ecs"] = """
            {"Clusters":{"old":{"Name":"old","Status":"ACTIVE","CapacityProviders":["FARGATE"],
              "Instances":[{"Id":"ci0001","Ec2InstanceId":"i-00000000000000001","Status":"ACTIVE","Registered":"2026-01-01T00:00:00+00:00"}],
              "Services":{"worker":{"Name":"worker","Status":"ACTIVE","DesiredCount":1,"LaunchType":"EC2","MaximumPercent":200,"MinimumHealthyPercent":100,
                "Created":"2026-01-01T00:00:00+00:00",
                "Deployments":[{"Id":"ecs-svc/1234567890123456789","Status":"PRIMARY","TaskDefinition":"arn:aws:ecs:us-east-1:123456789012:task-definition/worker:1","Created":"2026-01-01T00:00:00+00:00",
                  "Updated":"2026-01-01T00:00:00+00:00","RolloutState":"COMPLETED","RolloutStateReason":"ECS deployment completed."}],
                "Events":[{"id":"e1","createdAt":"2026-01-01T00:00:00.0000000+00:00","message":"(service worker) has reached a steady state."}],"Steady":true}},
              "Tasks":[{"Id":"task0001","TaskDefinition":"arn:aws:ecs:us-east-1:123456789012:task-definition/worker:1","ContainerInstance":"ci0001","Group":"service:worker",
                "StartedBy":"ecs-svc/ecs-svc/1234567890123456789","DeploymentId":"ecs-svc/1234567890123456789","LaunchType":"EC2","Created":"2026-01-01T00:00:00+00:00",
                "ProtectedUntil":"2999-01-01T00:00:00+00:00"}]}},
             "Families":{"worker":[{"Revision":1,"Status":"ACTIVE","Spec":{"family":"worker","containerDefinitions":[{"name":"worker","image":"worker:1"}]},
               "Registered":"2026-01-01T00:00:00+00:00"}]},
             "Tags":{"arn:aws:ecs:us-east-1:123456789012:cluster/old":{"team":"iot"}}}
            """,
        ["ec2"] = """
            {"Instances":{"i-00000000000000001":{"Id":"i-00000000000000001","ReservationId":"r-00000000000000001","ImageId":"ami-0ecs0000000000001",
               "Type":"t3.micro","SubnetId":"subnet-0local000000000002","SecurityGroups":["sg-00000000000000001"],"UserData":"ECS_CLUSTER=old",
               "PrivateIp":"172.31.1.10","Launched":"2026-01-01T00:00:00+00:00"}},
             "Groups":{"sg-00000000000000001":{"Id":"sg-00000000000000001","Name":"web","Description":"web tier","VpcId":"vpc-0local000000000001",
               "Ingress":[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]}},
             "Tags":{"i-00000000000000001":{"Name":"old-worker"}}}
            """,
        ["elasticbeanstalk"] = """
            {"Applications":{"app":{"Name":"app","Description":"old app","Created":"2026-01-01T00:00:00+00:00",
               "Versions":{"v1":{"ApplicationName":"app","VersionLabel":"v1","SourceBundle":{"S3Bucket":"b","S3Key":"v1.zip"},
                 "DateCreated":"2026-01-01T00:00:00.0000000+00:00","DateUpdated":"2026-01-01T00:00:00.0000000+00:00","Status":"PROCESSED"}}}},
             "Environments":[{"Id":"e-0000000001","Name":"app-dev","Application":"app","Version":"v1","SolutionStack":"64bit Amazon Linux 2023 v4.2.0 running Docker",
               "Created":"2026-01-01T00:00:00+00:00","LastDeployFailed":false,"Announced":"Ready@@","Tags":{"stage":"dev"}}],
             "Events":[{"EventDate":"2026-01-01T00:00:00.0000000+00:00","Message":"Successfully launched environment: app-dev","ApplicationName":"app",
               "EnvironmentName":"app-dev","VersionLabel":"v1","Severity":"INFO","RequestId":"r1"}]}
            """,
        ["logs"] = """
            {"Groups":{"/ecs/worker":{"Name":"/ecs/worker","Created":"2026-01-01T00:00:00+00:00","RetentionDays":7,"Tags":{},
               "Streams":{"worker/task0001":[{"Timestamp":1767225600000,"Message":"hello from before","Ingested":1767225600001}]}}}}
            """,
        ["firehose"] = """
            {"Streams":{"telemetry":{"Name":"telemetry","Type":"DirectPut","Created":"2026-01-01T00:00:00+00:00",
               "Spec":{"DeliveryStreamName":"telemetry","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/f","BucketARN":"arn:aws:s3:::telemetry"}},
               "Records":["aGk="]}}}
            """,
        ["cloudfront"] = """
            {"Distributions":{"E2OLD":[{"Id":"IOLD0000000001","Created":"2026-01-01T00:00:00+00:00",
               "Batch":{"Paths":{"Quantity":1,"Items":["/*"]},"CallerReference":"ref-1"}}]}}
            """,
    };

    [Fact]
    public async Task State_files_in_the_format_of_the_nested_state_classes_still_load()
    {
        var dir = Directory.CreateTempSubdirectory("ops-localcloud-oldstate-").FullName;
        foreach (var (service, json) in OldStateFiles) File.WriteAllText(Path.Combine(dir, service + ".json"), json);
        try
        {
            await using var server = await LocalCloudServer.StartAsync(TestClouds.Options(dir));
            Task<System.Text.Json.Nodes.JsonNode?> Aws(params string[] args) => AwsCli.Run(server.Url, args);

            var service = (await Aws("ecs", "describe-services", "--cluster", "old", "--services", "worker"))!["services"]![0]!;
            Assert.Equal((1, 1, TaskDefinition), ((int)service["desiredCount"]!, (int)service["runningCount"]!, (string)service["taskDefinition"]!));
            Assert.Equal((Deployment, "COMPLETED"), ((string)service["deployments"]![0]!["id"]!, (string)service["deployments"]![0]!["rolloutState"]!));
            var task = (await Aws("ecs", "describe-tasks", "--cluster", "old", "--tasks", "task0001"))!["tasks"]![0]!;
            Assert.Equal(("RUNNING", $"arn:aws:ecs:us-east-1:{Account}:container-instance/old/ci0001", "worker"),
                ((string)task["lastStatus"]!, (string)task["containerInstanceArn"]!, (string)task["containers"]![0]!["name"]!));
            var protection = (await Aws("ecs", "get-task-protection", "--cluster", "old", "--tasks", "task0001"))!["protectedTasks"]![0]!;
            Assert.True((bool)protection["protectionEnabled"]!);
            var cluster = (await Aws("ecs", "describe-clusters", "--clusters", "old", "--include", "TAGS"))!["clusters"]![0]!;
            Assert.Equal((1, "FARGATE", "iot"), ((int)cluster["registeredContainerInstancesCount"]!, (string)cluster["capacityProviders"]![0]!, (string)cluster["tags"]![0]!["value"]!));
            var definition = (await Aws("ecs", "describe-task-definition", "--task-definition", "worker"))!["taskDefinition"]!;
            Assert.Equal((1, "worker:1"), ((int)definition["revision"]!, (string)definition["containerDefinitions"]![0]!["image"]!));

            var instance = (await Aws("ec2", "describe-instances", "--instance-ids", "i-00000000000000001"))!["Reservations"]![0]!["Instances"]![0]!;
            Assert.Equal(("running", "us-east-1b", "172.31.1.10", "web", "old-worker"),
                ((string)instance["State"]!["Name"]!, (string)instance["Placement"]!["AvailabilityZone"]!, (string)instance["PrivateIpAddress"]!,
                 (string)instance["SecurityGroups"]![0]!["GroupName"]!, (string)instance["Tags"]![0]!["Value"]!));
            var group = (await Aws("ec2", "describe-security-groups", "--group-ids", "sg-00000000000000001"))!["SecurityGroups"]![0]!;
            Assert.Equal((443, "0.0.0.0/0"), ((int)group["IpPermissions"]![0]!["FromPort"]!, (string)group["IpPermissions"]![0]!["IpRanges"]![0]!["CidrIp"]!));

            var environment = (await Aws("elasticbeanstalk", "describe-environments", "--environment-names", "app-dev"))!["Environments"]![0]!;
            Assert.Equal(("Ready", "Green", "v1", "e-0000000001"),
                ((string)environment["Status"]!, (string)environment["Health"]!, (string)environment["VersionLabel"]!, (string)environment["EnvironmentId"]!));
            var events = (await Aws("elasticbeanstalk", "describe-events", "--environment-name", "app-dev"))!["Events"]!.AsArray();
            Assert.Equal(["Successfully launched environment: app-dev"], events.Select(e => (string)e!["Message"]!));   // no second launch event
            var versions = (await Aws("elasticbeanstalk", "describe-application-versions", "--application-name", "app"))!["ApplicationVersions"]!;
            Assert.Equal("v1.zip", (string)versions[0]!["SourceBundle"]!["S3Key"]!);

            var logGroup = (await Aws("logs", "describe-log-groups", "--log-group-name-prefix", "/ecs/worker"))!["logGroups"]![0]!;
            Assert.Equal(7, (int)logGroup["retentionInDays"]!);
            var logEvents = (await Aws("logs", "get-log-events", "--log-group-name", "/ecs/worker", "--log-stream-name", "worker/task0001"))!["events"]!;
            Assert.Equal(("hello from before", 1767225600000L), ((string)logEvents[0]!["message"]!, (long)logEvents[0]!["timestamp"]!));

            var stream = (await Aws("firehose", "describe-delivery-stream", "--delivery-stream-name", "telemetry"))!["DeliveryStreamDescription"]!;
            Assert.Equal("arn:aws:s3:::telemetry", (string)stream["Destinations"]![0]!["ExtendedS3DestinationDescription"]!["BucketARN"]!);

            var invalidation = (await Aws("cloudfront", "get-invalidation", "--distribution-id", "E2OLD", "--id", "IOLD0000000001"))!["Invalidation"]!;
            Assert.Equal(("Completed", "/*"), ((string)invalidation["Status"]!, (string)invalidation["InvalidationBatch"]!["Paths"]!["Items"]![0]!));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
