using System.Text.Json;
using System.Text.Json.Nodes;
using Ops.Aws.Serialization;
using Ops.Contracts;

namespace Ops.Aws.Tests;

/// <summary>Our wire serialisation against botocore's, for the same inputs: query lists and maps, ec2 Name.N, timestamps, nulls, empty lists.</summary>
public class SerializerTests
{
    sealed record Case(string Service, string Operation, object Ours, AwsProtocol Protocol, string Params);

    static readonly Dictionary<string, Case> Cases = new()
    {
        ["rds-lists-of-structs-and-strings"] = new("rds", "CreateDBInstance", new Rds.CreateDBInstanceMessage
        {
            DBInstanceIdentifier = "db",
            DBInstanceClass = "db.t3.micro",
            Engine = "postgres",
            AllocatedStorage = 20,
            MultiAZ = true,
            StorageEncrypted = false,
            VpcSecurityGroupIds = ["sg-1", "sg-2"],
            Tags = [new Rds.Tag { Key = "Project", Value = "IOTileCloud" }, new Rds.Tag { Key = "Stage", Value = "dev" }],
        }, AwsProtocol.Query, """
        {"DBInstanceIdentifier":"db","DBInstanceClass":"db.t3.micro","Engine":"postgres","AllocatedStorage":20,"MultiAZ":true,
         "StorageEncrypted":false,"VpcSecurityGroupIds":["sg-1","sg-2"],"Tags":[{"Key":"Project","Value":"IOTileCloud"},{"Key":"Stage","Value":"dev"}]}
        """),
        ["rds-empty-list-and-nulls"] = new("rds", "CreateDBInstance", new Rds.CreateDBInstanceMessage
        {
            DBInstanceIdentifier = "db",
            DBInstanceClass = "db.t3.micro",
            Engine = "postgres",
            VpcSecurityGroupIds = [],
            MasterUsername = null,
        }, AwsProtocol.Query, """{"DBInstanceIdentifier":"db","DBInstanceClass":"db.t3.micro","Engine":"postgres","VpcSecurityGroupIds":[]}"""),
        ["sns-map-entries"] = new("sns", "CreateTopic", new Sns.CreateTopicInput
        {
            Name = "t",
            Attributes = new() { ["DisplayName"] = "Staff", ["FifoTopic"] = "false" },
        }, AwsProtocol.Query, """{"Name":"t","Attributes":{"DisplayName":"Staff","FifoTopic":"false"}}"""),
        ["eb-timestamp-iso8601"] = new("elasticbeanstalk", "DescribeEvents", new ElasticBeanstalk.DescribeEventsMessage
        {
            EnvironmentName = "iotile-dev",
            Severity = "ERROR",
            StartTime = new DateTimeOffset(2026, 11, 22, 4, 31, 0, TimeSpan.Zero),
            MaxRecords = 50,
        }, AwsProtocol.Query, """{"EnvironmentName":"iotile-dev","Severity":"ERROR","StartTime":"2026-11-22T04:31:00Z","MaxRecords":50}"""),
        ["ec2-name-dot-n"] = new("ec2", "RunInstances", new Ec2.RunInstancesRequest
        {
            ImageId = "ami-1",
            MinCount = 1,
            MaxCount = 2,
            SecurityGroupIds = ["sg-1", "sg-2"],
            DryRun = false,
            TagSpecifications = [new Ec2.TagSpecification { ResourceType = "instance", Tags = [new Ec2.Tag { Key = "Stage", Value = "dev" }] }],
            BlockDeviceMappings = [new Ec2.BlockDeviceMapping { DeviceName = "/dev/xvda", Ebs = new Ec2.EbsBlockDevice { VolumeSize = 30, Encrypted = true } }],
        }, AwsProtocol.Ec2, """
        {"ImageId":"ami-1","MinCount":1,"MaxCount":2,"SecurityGroupIds":["sg-1","sg-2"],"DryRun":false,
         "TagSpecifications":[{"ResourceType":"instance","Tags":[{"Key":"Stage","Value":"dev"}]}],
         "BlockDeviceMappings":[{"DeviceName":"/dev/xvda","Ebs":{"VolumeSize":30,"Encrypted":true}}]}
        """),
        ["ec2-filters-and-empty-list"] = new("ec2", "DescribeInstances", new Ec2.DescribeInstancesRequest
        {
            Filters = [new Ec2.Filter { Name = "tag:Stage", Values = ["dev", "stage"] }],
            InstanceIds = [],
        }, AwsProtocol.Ec2, """{"Filters":[{"Name":"tag:Stage","Values":["dev","stage"]}],"InstanceIds":[]}"""),
        // Operations moto cannot run (moto-gaps.txt): their wire format is still held to botocore's.
        ["eb-application-version"] = new("elasticbeanstalk", "CreateApplicationVersion", new ElasticBeanstalk.CreateApplicationVersionMessage
        {
            ApplicationName = "iotile-cloud",
            VersionLabel = "v42",
            Process = true,
            SourceBundle = new ElasticBeanstalk.S3Location { S3Bucket = "eb-bucket", S3Key = "iotile/v42.zip" },
        }, AwsProtocol.Query, """{"ApplicationName":"iotile-cloud","VersionLabel":"v42","Process":true,"SourceBundle":{"S3Bucket":"eb-bucket","S3Key":"iotile/v42.zip"}}"""),
        ["eb-update-environment-options"] = new("elasticbeanstalk", "UpdateEnvironment", new ElasticBeanstalk.UpdateEnvironmentMessage
        {
            EnvironmentName = "iotile-dev",
            VersionLabel = "v42",
            OptionSettings = [new ElasticBeanstalk.ConfigurationOptionSetting { Namespace = "aws:autoscaling:launchconfiguration", OptionName = "InstanceType", Value = "t3.medium" }],
        }, AwsProtocol.Query, """{"EnvironmentName":"iotile-dev","VersionLabel":"v42","OptionSettings":[{"Namespace":"aws:autoscaling:launchconfiguration","OptionName":"InstanceType","Value":"t3.medium"}]}"""),
        ["elasticache-modify-replication-group"] = new("elasticache", "ModifyReplicationGroup", new ElastiCache.ModifyReplicationGroupMessage
        {
            ReplicationGroupId = "rg",
            ApplyImmediately = true,
            SecurityGroupIds = ["sg-1"],
            SnapshotRetentionLimit = 7,
        }, AwsProtocol.Query, """{"ReplicationGroupId":"rg","ApplyImmediately":true,"SecurityGroupIds":["sg-1"],"SnapshotRetentionLimit":7}"""),
        ["elasticache-member-names"] = new("elasticache", "CreateCacheCluster", new ElastiCache.CreateCacheClusterMessage
        {
            CacheClusterId = "redis",
            SecurityGroupIds = ["sg-9"],
            PreferredAvailabilityZones = ["us-east-1a"],
            NumCacheNodes = 1,
        }, AwsProtocol.Query, """{"CacheClusterId":"redis","SecurityGroupIds":["sg-9"],"PreferredAvailabilityZones":["us-east-1a"],"NumCacheNodes":1}"""),
    };

    [Fact]
    public async Task Query_and_ec2_parameters_match_botocore()
    {
        var input = new JsonObject();
        foreach (var (name, c) in Cases)
            input[name] = new JsonObject { ["service"] = c.Service, ["operation"] = c.Operation, ["params"] = JsonNode.Parse(c.Params) };
        var expected = await Botocore.Run(Botocore.SerializeScript, input);

        foreach (var (name, c) in Cases)
        {
            var theirs = expected[name]!.AsObject().ToDictionary(kv => kv.Key,
                kv => kv.Value!.GetValueKind() == JsonValueKind.String ? kv.Value.GetValue<string>() : kv.Value.ToJsonString());
            var ours = QuerySerializer.Serialize(c.Ours, c.Protocol).ToDictionary(kv => kv.Key, kv => kv.Value);
            ours["Action"] = c.Operation;
            ours["Version"] = theirs["Version"];
            Assert.True(theirs.OrderBy(k => k.Key).SequenceEqual(ours.OrderBy(k => k.Key)),
                $"{name}:\n botocore: {string.Join(", ", theirs.OrderBy(k => k.Key))}\n ours:     {string.Join(", ", ours.OrderBy(k => k.Key))}");
        }
    }

    [Fact]
    public async Task Json_bodies_match_botocore_with_nulls_omitted_and_epoch_timestamps()
    {
        var register = new Ecs.RegisterTaskDefinitionRequest
        {
            Family = "worker",
            Cpu = "256",
            NetworkMode = null,
            ContainerDefinitions = [new Ecs.ContainerDefinition { Name = "w", Image = "i:1", Memory = 512, Essential = true, PortMappings = [] }],
        };
        var logs = new CloudWatchLogs.GetLogEventsRequest { LogGroupName = "g", LogStreamName = "s", StartTime = 1_700_000_000_123, StartFromHead = true };
        var ssm = new Ssm.GetParametersByPathRequest { Path = "/iotilecloud/dev", Recursive = true, MaxResults = 10, ParameterFilters = [] };
        var protection = new Ecs.UpdateTaskProtectionRequest { Cluster = "c", Tasks = ["t1"], ProtectionEnabled = true, ExpiresInMinutes = 60 };
        var input = new JsonObject
        {
            ["ecs"] = new JsonObject { ["service"] = "ecs", ["operation"] = "RegisterTaskDefinition", ["params"] = JsonNode.Parse("""{"family":"worker","cpu":"256","containerDefinitions":[{"name":"w","image":"i:1","memory":512,"essential":true,"portMappings":[]}]}""") },
            ["logs"] = new JsonObject { ["service"] = "logs", ["operation"] = "GetLogEvents", ["params"] = JsonNode.Parse("""{"logGroupName":"g","logStreamName":"s","startTime":1700000000123,"startFromHead":true}""") },
            ["ssm"] = new JsonObject { ["service"] = "ssm", ["operation"] = "GetParametersByPath", ["params"] = JsonNode.Parse("""{"Path":"/iotilecloud/dev","Recursive":true,"MaxResults":10,"ParameterFilters":[]}""") },
            ["protection"] = new JsonObject { ["service"] = "ecs", ["operation"] = "UpdateTaskProtection", ["params"] = JsonNode.Parse("""{"cluster":"c","tasks":["t1"],"protectionEnabled":true,"expiresInMinutes":60}""") },
        };
        var expected = await Botocore.Run(Botocore.SerializeScript, input);
        foreach (var (name, ours) in new (string, object)[] { ("ecs", register), ("logs", logs), ("ssm", ssm), ("protection", protection) })
        {
            var theirs = JsonNode.Parse(expected[name]!.GetValue<string>());
            var mine = JsonSerializer.SerializeToNode(ours, ours.GetType(), AwsJson.Options);
            Assert.True(JsonNode.DeepEquals(theirs, mine), $"{name}:\n botocore: {theirs!.ToJsonString()}\n ours:     {mine!.ToJsonString()}");
        }
    }

    [Fact]
    public void Json_timestamps_are_epoch_seconds_both_ways()
    {
        var p = JsonSerializer.Deserialize<Ssm.Parameter>("""{"Name":"a","LastModifiedDate":1700000000.5,"Version":3}""", AwsJson.Options)!;
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500), p.LastModifiedDate);
        Assert.Contains("\"LastModifiedDate\":1700000000.5", JsonSerializer.Serialize(p, AwsJson.Options));
        Assert.DoesNotContain("null", JsonSerializer.Serialize(p, AwsJson.Options));
    }

    [Fact]
    public void Query_responses_read_member_lists_nested_structures_and_timestamps()
    {
        var xml = System.Xml.Linq.XElement.Parse("""
            <DescribeDBInstancesResult xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
              <DBInstances>
                <DBInstance>
                  <DBInstanceIdentifier>iotile-db</DBInstanceIdentifier>
                  <DBInstanceStatus>available</DBInstanceStatus>
                  <MultiAZ>true</MultiAZ>
                  <AllocatedStorage>20</AllocatedStorage>
                  <InstanceCreateTime>2026-11-22T04:31:00.123Z</InstanceCreateTime>
                  <Endpoint><Address>db.local</Address><Port>5432</Port></Endpoint>
                  <TagList><Tag><Key>Stage</Key><Value>dev</Value></Tag></TagList>
                  <VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>sg-1</VpcSecurityGroupId></VpcSecurityGroupMembership></VpcSecurityGroups>
                </DBInstance>
              </DBInstances>
              <Marker>next</Marker>
            </DescribeDBInstancesResult>
            """);
        var result = XmlShapeReader.Read<Rds.DBInstanceMessage>(xml);
        var db = Assert.Single(result.DBInstances!);
        Assert.Equal(("iotile-db", "available", true, 20), (db.DBInstanceIdentifier, db.DBInstanceStatus, db.MultiAZ, db.AllocatedStorage));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 4, 31, 0, 123, TimeSpan.Zero), db.InstanceCreateTime);
        Assert.Equal(("db.local", 5432), (db.Endpoint!.Address, db.Endpoint.Port));
        Assert.Equal("dev", db.TagList![0].Value);
        Assert.Equal("sg-1", db.VpcSecurityGroups![0].VpcSecurityGroupId);
        Assert.Equal("next", result.Marker);
        Assert.Null(db.DBName);   // absent stays null
    }

    [Fact]
    public void Ec2_responses_read_item_lists_and_query_maps_read_entries()
    {
        var ec2 = System.Xml.Linq.XElement.Parse("""
            <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
              <requestId>r1</requestId>
              <reservationSet><item><reservationId>r-1</reservationId><instancesSet>
                <item><instanceId>i-1</instanceId><instanceState><code>16</code><name>running</name></instanceState>
                  <tagSet><item><key>Stage</key><value>dev</value></item></tagSet></item>
              </instancesSet></item></reservationSet>
            </DescribeInstancesResponse>
            """);
        var reservations = XmlShapeReader.Read<Ec2.DescribeInstancesResult>(ec2).Reservations!;
        var instance = reservations[0].Instances![0];
        Assert.Equal(("i-1", "running", 16), (instance.InstanceId, instance.State!.Name, instance.State.Code));
        Assert.Equal("dev", instance.Tags![0].Value);

        var sns = System.Xml.Linq.XElement.Parse("""
            <GetTopicAttributesResult><Attributes>
              <entry><key>DisplayName</key><value>Staff</value></entry><entry><key>Policy</key><value>{}</value></entry>
            </Attributes></GetTopicAttributesResult>
            """);
        var attributes = XmlShapeReader.Read<Sns.GetTopicAttributesResponse>(sns).Attributes!;
        Assert.Equal("Staff", attributes["DisplayName"]);
        Assert.Equal(2, attributes.Count);
    }
}
