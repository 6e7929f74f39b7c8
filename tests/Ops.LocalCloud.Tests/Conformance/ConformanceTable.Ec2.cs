using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests.Conformance;

/// <summary>The EC2 rows: the default network, images, instances and their states, security groups, ingress rules and tags.</summary>
public static partial class ConformanceTable
{
    const string Ec2Image = "ami-0al20230000000001";
    const string Ec2HttpsRule = "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.0.0.0/8}]";

    /// <summary>An id EC2 would accept the shape of but that names nothing (ids are 17 hex digits after the prefix).</summary>
    static string Ec2Missing(string prefix) => prefix + Guid.NewGuid().ToString("N")[..17];

    static async Task Ec2Instance(ConformanceContext x)
    {
        var run = await x.Aws("ec2", "run-instances", "--image-id", Ec2Image, "--instance-type", "t3.micro", "--count", "1",
            "--tag-specifications", $"ResourceType=instance,Tags=[{{Key=Name,Value={x.Name}}}]");
        x.Values["instance"] = (string)run!["Instances"]![0]!["InstanceId"]!;
    }

    static async Task Ec2Group(ConformanceContext x) =>
        x.Values["group"] = (string)(await x.Aws("ec2", "create-security-group", "--group-name", x.Name, "--description", "conformance",
            "--tag-specifications", "ResourceType=security-group,Tags=[{Key=team,Value=iot},{Key=stage,Value=dev}]"))!["GroupId"]!;

    static async Task Ec2GroupWithRule(ConformanceContext x)
    {
        await Ec2Group(x);
        await x.Aws("ec2", "authorize-security-group-ingress", "--group-id", x["group"], "--ip-permissions", Ec2HttpsRule);
    }

    static async Task<JsonNode> Ec2DescribeGroup(ConformanceContext x) =>
        (await x.Aws("ec2", "describe-security-groups", "--group-ids", x["group"]))!["SecurityGroups"]!.AsArray().Single()!;

    static async Task<IEnumerable<(string?, string?)>> Ec2Tags(ConformanceContext x, string resource) =>
        (await x.Aws("ec2", "describe-tags", "--filters", $"Name=resource-id,Values={resource}"))!["Tags"]!.AsArray()
        .Select(t => ((string?)t!["Key"], (string?)t["Value"])).Order();

    static (string?, int) Ec2State(JsonNode? state) => ((string?)state!["Name"], (int)state["Code"]!);

    static ConformanceRow[] Ec2 =>
    [
        // ---------------- network and images ----------------
        Row("ec2", "DescribeVpcs", _ => ["ec2", "describe-vpcs", "--filters", "Name=isDefault,Values=true"], (_, r) =>
        {
            var vpc = r!["Vpcs"]!.AsArray().Single()!;
            Assert.Equal((true, "available", "172.31.0.0/16", "123456789012"), ((bool)vpc["IsDefault"]!, (string?)vpc["State"], (string?)vpc["CidrBlock"], (string?)vpc["OwnerId"]));
            Assert.StartsWith("vpc-", (string?)vpc["VpcId"]);
            return Done;
        }),
        Row("ec2", "DescribeSubnets", x => ["ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={x["vpc"]}", "Name=default-for-az,Values=true"], (x, r) =>
        {
            var subnets = r!["Subnets"]!.AsArray();
            Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], subnets.Select(s => (string?)s!["AvailabilityZone"]).Order());
            Assert.All(subnets, s => Assert.Equal((x["vpc"], "available", true), ((string?)s!["VpcId"], (string?)s["State"], (bool)s["DefaultForAz"]!)));
            Assert.All(subnets, s => Assert.StartsWith("subnet-", (string?)s!["SubnetId"]));
            return Done;
        }, async x => x.Values["vpc"] = (string)(await x.Aws("ec2", "describe-vpcs", "--filters", "Name=isDefault,Values=true"))!["Vpcs"]![0]!["VpcId"]!),
        Row("ec2", "DescribeAvailabilityZones", _ => ["ec2", "describe-availability-zones"], (_, r) =>
        {
            var zones = r!["AvailabilityZones"]!.AsArray();
            Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], zones.Select(z => (string?)z!["ZoneName"]).Order());
            Assert.All(zones, z => Assert.Equal(("available", "us-east-1"), ((string?)z!["State"], (string?)z["RegionName"])));
            return Done;
        }),
        Row("ec2", "DescribeImages", _ => ["ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=al2023-ami-ecs-hvm-*"], (_, r) =>
        {
            var images = r!["Images"]!.AsArray();
            Assert.NotEmpty(images);
            Assert.All(images, i => Assert.StartsWith("al2023-ami-ecs-hvm-", (string?)i!["Name"]));
            Assert.All(images, i => Assert.Equal(("available", "x86_64"), ((string?)i!["State"], (string?)i["Architecture"])));
            Assert.All(images, i => Assert.StartsWith("ami-", (string?)i!["ImageId"]));
            return Done;
        }),
        Error("ec2", "DescribeImages", _ => ["ec2", "describe-images", "--image-ids", Ec2Missing("ami-")], "InvalidAMIID.NotFound"),

        // ---------------- instances ----------------
        Row("ec2", "RunInstances", x => ["ec2", "run-instances", "--image-id", Ec2Image, "--instance-type", "t3.micro", "--count", "2",
            "--tag-specifications", $"ResourceType=instance,Tags=[{{Key=Name,Value={x.Name}}}]"], async (x, r) =>
        {
            var instances = r!["Instances"]!.AsArray();
            Assert.Equal(2, instances.Count);
            Assert.All(instances, i => Assert.Equal((Ec2Image, "t3.micro"), ((string?)i!["ImageId"], (string?)i["InstanceType"])));
            Assert.All(instances, i => Assert.Contains((string?)i!["State"]!["Name"], new[] { "pending", "running" }));
            Assert.StartsWith("r-", (string?)r["ReservationId"]);
            Assert.Equal("123456789012", (string?)r["OwnerId"]);
            var tagged = (await x.Aws("ec2", "describe-instances", "--filters", $"Name=tag:Name,Values={x.Name}"))!["Reservations"]!.AsArray();
            Assert.Equal(instances.Select(i => (string?)i!["InstanceId"]).Order(),
                tagged.SelectMany(res => res!["Instances"]!.AsArray()).Select(i => (string?)i!["InstanceId"]).Order());
        }),
        Error("ec2", "RunInstances", _ => ["ec2", "run-instances", "--image-id", Ec2Missing("ami-"), "--count", "1"], "InvalidAMIID.NotFound"),
        Row("ec2", "DescribeInstances", x => ["ec2", "describe-instances", "--instance-ids", x["instance"]], (x, r) =>
        {
            var i = r!["Reservations"]!.AsArray().Single()!["Instances"]!.AsArray().Single()!;
            Assert.Equal((x["instance"], Ec2Image, "t3.micro", ("running", 16)),
                ((string?)i["InstanceId"], (string?)i["ImageId"], (string?)i["InstanceType"], Ec2State(i["State"])));
            Assert.Equal([("Name", x.Name)], i["Tags"]!.AsArray().Select(t => ((string?)t!["Key"], (string?)t["Value"])));
            Assert.StartsWith("us-east-1", (string?)i["Placement"]!["AvailabilityZone"]);
            Assert.StartsWith("subnet-", (string?)i["SubnetId"]);
            return Done;
        }, Ec2Instance),
        Error("ec2", "DescribeInstances", _ => ["ec2", "describe-instances", "--instance-ids", Ec2Missing("i-")], "InvalidInstanceID.NotFound"),
        Row("ec2", "StopInstances", x => ["ec2", "stop-instances", "--instance-ids", x["instance"]], (x, r) =>
        {
            var change = r!["StoppingInstances"]!.AsArray().Single()!;
            Assert.Equal((x["instance"], ("running", 16)), ((string?)change["InstanceId"], Ec2State(change["PreviousState"])));
            Assert.Contains(Ec2State(change["CurrentState"]), new (string?, int)[] { ("stopping", 64), ("stopped", 80) });
            return Done;
        }, Ec2Instance),
        Row("ec2", "StartInstances", x => ["ec2", "start-instances", "--instance-ids", x["instance"]], (x, r) =>
        {
            var change = r!["StartingInstances"]!.AsArray().Single()!;
            Assert.Equal((x["instance"], ("stopped", 80)), ((string?)change["InstanceId"], Ec2State(change["PreviousState"])));
            Assert.Contains(Ec2State(change["CurrentState"]), new (string?, int)[] { ("pending", 0), ("running", 16) });
            return Done;
        }, async x =>
        {
            await Ec2Instance(x);
            await x.Aws("ec2", "stop-instances", "--instance-ids", x["instance"]);
        }),
        Error("ec2", "StartInstances", x => ["ec2", "start-instances", "--instance-ids", x["instance"]], "IncorrectInstanceState", async x =>
        {
            await Ec2Instance(x);
            await x.Aws("ec2", "terminate-instances", "--instance-ids", x["instance"]);
        }),
        Row("ec2", "TerminateInstances", x => ["ec2", "terminate-instances", "--instance-ids", x["instance"]], (x, r) =>
        {
            var change = r!["TerminatingInstances"]!.AsArray().Single()!;
            Assert.Equal((x["instance"], ("running", 16)), ((string?)change["InstanceId"], Ec2State(change["PreviousState"])));
            Assert.Contains(Ec2State(change["CurrentState"]), new (string?, int)[] { ("shutting-down", 32), ("terminated", 48) });
            return Done;
        }, Ec2Instance),
        Error("ec2", "TerminateInstances", _ => ["ec2", "terminate-instances", "--instance-ids", Ec2Missing("i-")], "InvalidInstanceID.NotFound"),

        // ---------------- security groups ----------------
        Row("ec2", "CreateSecurityGroup", x => ["ec2", "create-security-group", "--group-name", x.Name, "--description", "conformance"], async (x, r) =>
        {
            var id = (string?)r!["GroupId"];
            Assert.StartsWith("sg-", id);
            var g = (await x.Aws("ec2", "describe-security-groups", "--filters", $"Name=group-name,Values={x.Name}"))!["SecurityGroups"]!.AsArray().Single()!;
            Assert.Equal((id, x.Name, "conformance"), ((string?)g["GroupId"], (string?)g["GroupName"], (string?)g["Description"]));
        }),
        Error("ec2", "CreateSecurityGroup", x => ["ec2", "create-security-group", "--group-name", x.Name, "--description", "conformance"], "InvalidGroup.Duplicate", Ec2Group),
        Row("ec2", "DescribeSecurityGroups", x => ["ec2", "describe-security-groups", "--filters", $"Name=group-name,Values={x.Name}"], (x, r) =>
        {
            var g = r!["SecurityGroups"]!.AsArray().Single()!;
            Assert.Equal((x["group"], x.Name, "conformance", "123456789012"), ((string?)g["GroupId"], (string?)g["GroupName"], (string?)g["Description"], (string?)g["OwnerId"]));
            Assert.StartsWith("vpc-", (string?)g["VpcId"]);
            var rule = g["IpPermissions"]!.AsArray().Single()!;
            Assert.Equal(("tcp", 443, 443, "10.0.0.0/8"), ((string?)rule["IpProtocol"], (int)rule["FromPort"]!, (int)rule["ToPort"]!, (string?)rule["IpRanges"]![0]!["CidrIp"]));
            Assert.Equal([("stage", "dev"), ("team", "iot")], g["Tags"]!.AsArray().Select(t => ((string?)t!["Key"], (string?)t["Value"])).Order());
            return Done;
        }, Ec2GroupWithRule),
        Error("ec2", "DescribeSecurityGroups", _ => ["ec2", "describe-security-groups", "--group-ids", Ec2Missing("sg-")], "InvalidGroup.NotFound"),
        Row("ec2", "DeleteSecurityGroup", x => ["ec2", "delete-security-group", "--group-id", x["group"]], async (x, r) =>
        {
            Assert.Equal((true, x["group"]), ((bool)r!["Return"]!, (string?)r["GroupId"]));
            Assert.Empty((await x.Aws("ec2", "describe-security-groups", "--filters", $"Name=group-name,Values={x.Name}"))!["SecurityGroups"]!.AsArray());
        }, Ec2Group),
        Error("ec2", "DeleteSecurityGroup", _ => ["ec2", "delete-security-group", "--group-id", Ec2Missing("sg-")], "InvalidGroup.NotFound"),
        Error("ec2", "DeleteSecurityGroup", x => ["ec2", "delete-security-group", "--group-id", x["group"]], "DependencyViolation", async x =>
        {
            await Ec2Group(x);
            await x.Aws("ec2", "run-instances", "--image-id", Ec2Image, "--count", "1", "--security-group-ids", x["group"]);
        }),
        Row("ec2", "AuthorizeSecurityGroupIngress", x => ["ec2", "authorize-security-group-ingress", "--group-id", x["group"], "--ip-permissions", Ec2HttpsRule], async (x, r) =>
        {
            Assert.True((bool)r!["Return"]!);
            var rule = (await Ec2DescribeGroup(x))["IpPermissions"]!.AsArray().Single()!;
            Assert.Equal(("tcp", 443, 443, "10.0.0.0/8"), ((string?)rule["IpProtocol"], (int)rule["FromPort"]!, (int)rule["ToPort"]!, (string?)rule["IpRanges"]![0]!["CidrIp"]));
        }, Ec2Group),
        Error("ec2", "AuthorizeSecurityGroupIngress", x => ["ec2", "authorize-security-group-ingress", "--group-id", x["group"], "--ip-permissions", Ec2HttpsRule],
            "InvalidPermission.Duplicate", Ec2GroupWithRule),
        Row("ec2", "RevokeSecurityGroupIngress", x => ["ec2", "revoke-security-group-ingress", "--group-id", x["group"], "--ip-permissions", Ec2HttpsRule], async (x, r) =>
        {
            Assert.True((bool)r!["Return"]!);
            Assert.Empty((await Ec2DescribeGroup(x))["IpPermissions"]!.AsArray());
        }, Ec2GroupWithRule),

        // ---------------- tags ----------------
        Row("ec2", "CreateTags", x => ["ec2", "create-tags", "--resources", x["group"], "--tags", "Key=owner,Value=ops"], async (x, _) =>
            Assert.Equal([("owner", "ops"), ("stage", "dev"), ("team", "iot")], await Ec2Tags(x, x["group"])), Ec2Group),
        Row("ec2", "DeleteTags", x => ["ec2", "delete-tags", "--resources", x["group"], "--tags", "Key=team"], async (x, _) =>
            Assert.Equal([("stage", "dev")], await Ec2Tags(x, x["group"])), Ec2Group),
        Row("ec2", "DescribeTags", x => ["ec2", "describe-tags", "--filters", $"Name=resource-id,Values={x["group"]}"], (x, r) =>
        {
            var tags = r!["Tags"]!.AsArray().Select(t => ((string?)t!["ResourceId"], (string?)t["ResourceType"], (string?)t["Key"], (string?)t["Value"])).Order();
            Assert.Equal([(x["group"], "security-group", "stage", "dev"), (x["group"], "security-group", "team", "iot")], tags);
            return Done;
        }, Ec2Group),
    ];
}
