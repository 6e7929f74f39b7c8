using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ops.LocalCloud.Services.Ecs;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>
/// EC2: a default VPC with subnets and zones, ECS-optimised images, instances (pending → running →
/// stopping/stopped → shutting-down/terminated) whose user data <c>ECS_CLUSTER=name</c> joins them to that
/// ECS cluster, security groups with ingress rules, and tags with the usual filters.
/// </summary>
internal sealed partial class Ec2Service : ServiceHandler<Ec2Service.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Instance> Instances { get; set; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, SecurityGroup> Groups { get; set; } = new(StringComparer.Ordinal);
        public Dictionary<string, Dictionary<string, string>> Tags { get; set; } = new();
    }

    public sealed class Instance
    {
        public string Id { get; set; } = "";
        public string ReservationId { get; set; } = "";
        public string ImageId { get; set; } = "";
        public string Type { get; set; } = "t3.micro";
        public string SubnetId { get; set; } = "";
        public List<string> SecurityGroups { get; set; } = [];
        public string? UserData { get; set; }
        public string PrivateIp { get; set; } = "";
        public DateTimeOffset Launched { get; set; }
        public DateTimeOffset? StopRequested { get; set; }
        public DateTimeOffset? Started { get; set; }
        public DateTimeOffset? TerminateRequested { get; set; }
    }

    public sealed class SecurityGroup
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Description { get; set; } = "";
        public string VpcId { get; set; } = Vpc;
        public List<JsonObject> Ingress { get; set; } = [];
    }

    const string Vpc = "vpc-0local000000000001";
    static readonly string[] Zones = ["a", "b", "c"];
    static readonly (string Id, string Name)[] Images =
    [
        ("ami-0ecs0000000000001", "al2023-ami-ecs-hvm-2023.0.20261101-kernel-6.1-x86_64"),
        ("ami-0al20230000000001", "al2023-ami-2023.6.20261101.0-kernel-6.1-x86_64"),
    ];

    readonly TimeSpan _delay;
    readonly EcsService _ecs;
    public override string Name => "ec2";

    public Ec2Service(StateStore store, LifecycleDelays delays, EcsService ecs) : base(store)
    {
        _delay = delays.Task;
        _ecs = ecs;
        On("DescribeVpcs", (_, c) => new JsonObject
        {
            ["Vpcs"] = new JsonArray(new JsonObject { ["VpcId"] = Vpc, ["CidrBlock"] = "172.31.0.0/16", ["IsDefault"] = true, ["State"] = "available", ["OwnerId"] = c.Account }),
        });
        On("DescribeSubnets", (_, c) => new JsonObject
        {
            ["Subnets"] = new JsonArray(Zones.Select((z, n) => (JsonNode?)new JsonObject
            {
                ["SubnetId"] = $"subnet-0local00000000000{n + 1}", ["VpcId"] = Vpc, ["AvailabilityZone"] = c.Region + z,
                ["CidrBlock"] = $"172.31.{n * 16}.0/20", ["State"] = "available", ["DefaultForAz"] = true, ["AvailableIpAddressCount"] = 4091,
            }).ToArray()),
        });
        On("DescribeAvailabilityZones", (_, c) => new JsonObject
        {
            ["AvailabilityZones"] = new JsonArray(Zones.Select(z => (JsonNode?)new JsonObject
            {
                ["ZoneName"] = c.Region + z, ["State"] = "available", ["RegionName"] = c.Region, ["ZoneId"] = $"use1-az{Array.IndexOf(Zones, z) + 1}",
            }).ToArray()),
        });
        On("DescribeImages", (i, c) =>
        {
            var ids = Strings(i, "ImageIds").ToList();
            var nameFilter = Filters(i).GetValueOrDefault("name");
            return new JsonObject
            {
                ["Images"] = new JsonArray(Images
                    .Where(img => (ids.Count == 0 || ids.Contains(img.Id)) && (nameFilter == null || nameFilter.Any(f => Glob(f).IsMatch(img.Name))))
                    .Select(img => (JsonNode?)new JsonObject
                    {
                        ["ImageId"] = img.Id, ["Name"] = img.Name, ["State"] = "available", ["Architecture"] = "x86_64", ["OwnerId"] = "amazon",
                        ["Public"] = true, ["RootDeviceType"] = "ebs", ["VirtualizationType"] = "hvm", ["CreationDate"] = "2026-11-01T00:00:00.000Z",
                    }).ToArray()),
            };
        });
        On("RunInstances", (i, c) => Write(() =>
        {
            var image = Required(i, "ImageId");
            if (Images.All(img => img.Id != image)) throw new AwsError("InvalidAMIID.NotFound", $"The image id '[{image}]' does not exist");
            var count = (int)(Number(i, "MaxCount") ?? 1);
            var groups = Strings(i, "SecurityGroupIds").ToList();
            foreach (var g in groups) FindGroup(g);
            var reservation = "r-" + Hex(17);
            var userData = Optional(i, "UserData") is { } encoded ? Encoding.UTF8.GetString(Convert.FromBase64String(encoded)) : null;
            var launched = new List<Instance>();
            for (var n = 0; n < count; n++)
            {
                var instance = new Instance
                {
                    Id = "i-" + Hex(17), ReservationId = reservation, ImageId = image, Type = Optional(i, "InstanceType") ?? "m1.small",
                    SubnetId = Optional(i, "SubnetId") ?? "subnet-0local000000000001", SecurityGroups = groups, UserData = userData,
                    PrivateIp = $"172.31.{Random.Shared.Next(0, 16)}.{Random.Shared.Next(2, 254)}", Launched = c.Now,
                };
                State.Instances[instance.Id] = instance;
                foreach (var spec in ((i["TagSpecifications"] as JsonArray) ?? []).Where(t => (string?)t!["ResourceType"] is null or "instance"))
                    MergeTags(TagsOf(State.Tags, instance.Id), spec!["Tags"]);
                launched.Add(instance);
                if (userData != null && EcsCluster().Match(userData) is { Success: true } m) _ecs.AgentStarted(m.Groups[1].Value, instance.Id, c);
            }
            return new JsonObject
            {
                ["ReservationId"] = reservation, ["OwnerId"] = c.Account,
                ["Instances"] = new JsonArray(launched.Select(x => (JsonNode?)Describe(x, c)).ToArray()),
            };
        }));
        On("DescribeInstances", (i, c) => Read(() =>
        {
            var ids = Strings(i, "InstanceIds").ToList();
            foreach (var id in ids) if (!State.Instances.ContainsKey(id)) throw new AwsError("InvalidInstanceID.NotFound", $"The instance ID '{id}' does not exist");
            var filters = Filters(i);
            var matching = State.Instances.Values.Where(x => (ids.Count == 0 || ids.Contains(x.Id)) && Matches(x, filters, c)).ToList();
            return new JsonObject
            {
                ["Reservations"] = new JsonArray(matching.GroupBy(x => x.ReservationId).Select(g => (JsonNode?)new JsonObject
                {
                    ["ReservationId"] = g.Key, ["OwnerId"] = c.Account, ["Instances"] = new JsonArray(g.Select(x => (JsonNode?)Describe(x, c)).ToArray()),
                }).ToArray()),
            };
        }));
        On("StopInstances", (i, c) => StateChange(i, c, "StoppingInstances", x => x.StopRequested = c.Now));
        On("StartInstances", (i, c) => StateChange(i, c, "StartingInstances", x =>
        {
            x.StopRequested = null;
            x.Started = c.Now;
        }));
        On("TerminateInstances", (i, c) => StateChange(i, c, "TerminatingInstances", x =>
        {
            x.TerminateRequested ??= c.Now;
            _ecs.AgentStopped(x.Id, c);
        }));
        On("CreateSecurityGroup", (i, c) => Write(() =>
        {
            var name = Required(i, "GroupName");
            var vpc = Optional(i, "VpcId") ?? Vpc;
            if (State.Groups.Values.Any(g => g.Name == name && g.VpcId == vpc))
                throw new AwsError("InvalidGroup.Duplicate", $"The security group '{name}' already exists for VPC '{vpc}'");
            var group = new SecurityGroup { Id = "sg-" + Hex(17), Name = name, Description = Required(i, "Description"), VpcId = vpc };
            State.Groups[group.Id] = group;
            foreach (var spec in (i["TagSpecifications"] as JsonArray) ?? [])
                MergeTags(TagsOf(State.Tags, group.Id), spec!["Tags"]);
            return new JsonObject { ["GroupId"] = group.Id };
        }));
        On("DescribeSecurityGroups", (i, c) => Read(() =>
        {
            var ids = Strings(i, "GroupIds").ToList();
            var names = Strings(i, "GroupNames").ToList();
            foreach (var id in ids) FindGroup(id);
            var filters = Filters(i);
            var groups = State.Groups.Values.Where(g =>
                (ids.Count == 0 || ids.Contains(g.Id)) && (names.Count == 0 || names.Contains(g.Name))
                && (!filters.TryGetValue("group-name", out var gn) || gn.Contains(g.Name))
                && (!filters.TryGetValue("vpc-id", out var v) || v.Contains(g.VpcId))
                && TagFilters(g.Id, filters));
            return new JsonObject { ["SecurityGroups"] = new JsonArray(groups.Select(g => (JsonNode?)DescribeGroup(g, c)).ToArray()) };
        }));
        On("DeleteSecurityGroup", (i, _) => Write(() =>
        {
            var group = FindGroup(Required(i, "GroupId"));
            if (State.Instances.Values.Any(x => x.TerminateRequested == null && x.SecurityGroups.Contains(group.Id)))
                throw new AwsError("DependencyViolation", $"resource {group.Id} has a dependent object");
            State.Groups.Remove(group.Id);
            State.Tags.Remove(group.Id);
            return new JsonObject { ["Return"] = true, ["GroupId"] = group.Id };
        }));
        On("AuthorizeSecurityGroupIngress", (i, _) => Write(() =>
        {
            var group = FindGroup(Required(i, "GroupId"));
            foreach (var p in (i["IpPermissions"] as JsonArray) ?? [])
            {
                if (group.Ingress.Any(r => JsonNode.DeepEquals(r, p)))
                    throw new AwsError("InvalidPermission.Duplicate", "the specified rule already exists");
                group.Ingress.Add(p!.DeepClone().AsObject());
            }
            return new JsonObject { ["Return"] = true };
        }));
        On("RevokeSecurityGroupIngress", (i, _) => Write(() =>
        {
            var group = FindGroup(Required(i, "GroupId"));
            foreach (var p in (i["IpPermissions"] as JsonArray) ?? [])
                if (group.Ingress.RemoveAll(r => JsonNode.DeepEquals(r, p)) == 0)
                    throw new AwsError("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
            return new JsonObject { ["Return"] = true };
        }));
        On("CreateTags", (i, _) => Write(() =>
        {
            foreach (var id in Strings(i, "Resources"))
                MergeTags(TagsOf(State.Tags, id), i["Tags"]);
            return new JsonObject();
        }));
        On("DeleteTags", (i, _) => Write(() =>
        {
            foreach (var id in Strings(i, "Resources"))
                foreach (var t in (i["Tags"] as JsonArray) ?? []) TagsOf(State.Tags, id).Remove((string)t!["Key"]!);
            return new JsonObject();
        }));
        On("DescribeTags", (i, _) => Read(() =>
        {
            var filters = Filters(i);
            var tags = State.Tags.Where(r => !filters.TryGetValue("resource-id", out var ids) || ids.Contains(r.Key))
                .SelectMany(r => r.Value.Select(t => (Resource: r.Key, t.Key, t.Value)))
                .Where(t => !filters.TryGetValue("key", out var keys) || keys.Contains(t.Key));
            return new JsonObject
            {
                ["Tags"] = new JsonArray(tags.Select(t => (JsonNode?)new JsonObject
                {
                    ["ResourceId"] = t.Resource, ["ResourceType"] = t.Resource.StartsWith("sg-") ? "security-group" : "instance", ["Key"] = t.Key, ["Value"] = t.Value,
                }).ToArray()),
            };
        }));
    }

    string InstanceState(Instance x, DateTimeOffset now)
    {
        bool Within(DateTimeOffset? since) => since is { } s && _delay > TimeSpan.Zero && now < s + _delay;
        if (x.TerminateRequested is { } t) return Within(t) ? "shutting-down" : "terminated";
        if (x.StopRequested is { } s) return Within(s) ? "stopping" : "stopped";
        return Within(x.Started ?? x.Launched) ? "pending" : "running";
    }

    static int StateCode(string state) => state switch
    {
        "pending" => 0, "running" => 16, "shutting-down" => 32, "terminated" => 48, "stopping" => 64, _ => 80,
    };

    JsonObject Describe(Instance x, RequestContext c)
    {
        var state = InstanceState(x, c.Now);
        var subnet = int.TryParse(x.SubnetId[^1..], out var n) ? n - 1 : 0;
        return new JsonObject
        {
            ["InstanceId"] = x.Id, ["ImageId"] = x.ImageId, ["InstanceType"] = x.Type, ["LaunchTime"] = x.Launched.ToString("O"),
            ["State"] = new JsonObject { ["Code"] = StateCode(state), ["Name"] = state },
            ["SubnetId"] = x.SubnetId, ["VpcId"] = Vpc, ["PrivateIpAddress"] = x.PrivateIp,
            ["Placement"] = new JsonObject { ["AvailabilityZone"] = c.Region + Zones[Math.Clamp(subnet, 0, 2)] },
            ["SecurityGroups"] = new JsonArray(x.SecurityGroups.Select(g => (JsonNode?)new JsonObject { ["GroupId"] = g, ["GroupName"] = State.Groups.GetValueOrDefault(g)?.Name }).ToArray()),
            ["Tags"] = TagList(x.Id),
            ["Architecture"] = "x86_64", ["RootDeviceType"] = "ebs", ["Hypervisor"] = "xen", ["VirtualizationType"] = "hvm",
        };
    }

    JsonObject DescribeGroup(SecurityGroup g, RequestContext c) => new()
    {
        ["GroupId"] = g.Id, ["GroupName"] = g.Name, ["Description"] = g.Description, ["VpcId"] = g.VpcId, ["OwnerId"] = c.Account,
        ["IpPermissions"] = new JsonArray(g.Ingress.Select(r => (JsonNode?)r.DeepClone()).ToArray()),
        ["IpPermissionsEgress"] = new JsonArray(new JsonObject { ["IpProtocol"] = "-1", ["IpRanges"] = new JsonArray(new JsonObject { ["CidrIp"] = "0.0.0.0/0" }) }),
        ["Tags"] = TagList(g.Id),
    };

    JsonNode? StateChange(JsonObject i, RequestContext c, string member, Action<Instance> change) => Write(() =>
    {
        var changes = new JsonArray();
        foreach (var id in Strings(i, "InstanceIds"))
        {
            var x = State.Instances.TryGetValue(id, out var found) ? found : throw new AwsError("InvalidInstanceID.NotFound", $"The instance ID '{id}' does not exist");
            var before = InstanceState(x, c.Now);
            change(x);
            var after = InstanceState(x, c.Now);
            changes.Add(new JsonObject
            {
                ["InstanceId"] = id,
                ["PreviousState"] = new JsonObject { ["Code"] = StateCode(before), ["Name"] = before },
                ["CurrentState"] = new JsonObject { ["Code"] = StateCode(after), ["Name"] = after },
            });
        }
        return new JsonObject { [member] = changes };
    });

    bool Matches(Instance x, Dictionary<string, List<string>> filters, RequestContext c)
    {
        foreach (var (name, values) in filters)
        {
            var ok = name switch
            {
                "instance-state-name" => values.Contains(InstanceState(x, c.Now)),
                "instance-id" => values.Contains(x.Id),
                "vpc-id" => values.Contains(Vpc),
                "subnet-id" => values.Contains(x.SubnetId),
                "image-id" => values.Contains(x.ImageId),
                "instance-type" => values.Contains(x.Type),
                _ when name.StartsWith("tag", StringComparison.Ordinal) => true,
                _ => throw new AwsError("InvalidParameterValue", $"The filter '{name}' is invalid (the local cloud supports instance-state-name, instance-id, vpc-id, subnet-id, image-id, instance-type, tag:*, tag-key)."),
            };
            if (!ok) return false;
        }
        return TagFilters(x.Id, filters);
    }

    bool TagFilters(string id, Dictionary<string, List<string>> filters)
    {
        var tags = State.Tags.GetValueOrDefault(id) ?? new Dictionary<string, string>();
        foreach (var (name, values) in filters)
        {
            if (name.StartsWith("tag:", StringComparison.Ordinal) && !(tags.TryGetValue(name[4..], out var v) && values.Any(f => Glob(f).IsMatch(v)))) return false;
            if (name == "tag-key" && !values.Any(tags.ContainsKey)) return false;
        }
        return true;
    }

    static Dictionary<string, List<string>> Filters(JsonObject i) =>
        ((i["Filters"] as JsonArray) ?? []).ToDictionary(f => (string)f!["Name"]!, f => ((f!["Values"] as JsonArray) ?? []).Select(v => (string)v!).ToList());

    static Regex Glob(string pattern) => new("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$");

    SecurityGroup FindGroup(string id) =>
        State.Groups.TryGetValue(id, out var g) ? g : throw new AwsError("InvalidGroup.NotFound", $"The security group '{id}' does not exist");

    JsonArray TagList(string id) =>
        new((State.Tags.GetValueOrDefault(id) ?? []).Select(t => (JsonNode?)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray());

    static string Hex(int length) => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..length];


    [GeneratedRegex(@"ECS_CLUSTER=([A-Za-z0-9_-]+)")]
    private static partial Regex EcsCluster();
}
