using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ops.LocalCloud.Services.Ec2;

/// <summary>EC2 instances: run (joining an ECS cluster named in user data), describe with filters, stop, start, terminate.</summary>
internal sealed partial class Ec2Service
{
    JsonNode? RunInstances(JsonObject i, RequestContext c) => Write(() =>
    {
        var image = Required(i, "ImageId");
        if (Ec2Network.Images.All(img => img.Id != image)) throw new AwsError("InvalidAMIID.NotFound", $"The image id '[{image}]' does not exist");
        var count = (int)(Number(i, "MaxCount") ?? 1);
        var groups = Strings(i, "SecurityGroupIds").ToList();
        foreach (var g in groups) FindGroup(g);
        var reservation = "r-" + Hex(17);
        var userData = Optional(i, "UserData") is { } encoded ? Encoding.UTF8.GetString(Convert.FromBase64String(encoded)) : null;
        var launched = new List<Ec2Instance>();
        for (var n = 0; n < count; n++)
        {
            var instance = new Ec2Instance
            {
                Id = "i-" + Hex(17),
                ReservationId = reservation,
                ImageId = image,
                Type = Optional(i, "InstanceType") ?? "m1.small",
                SubnetId = Optional(i, "SubnetId") ?? Ec2Network.DefaultSubnet,
                SecurityGroups = groups,
                UserData = userData,
                PrivateIp = $"172.31.{Random.Shared.Next(0, 16)}.{Random.Shared.Next(2, 254)}",
                Launched = c.Now,
            };
            State.Instances[instance.Id] = instance;
            foreach (var spec in ((i["TagSpecifications"] as JsonArray) ?? []).Where(t => (string?)t!["ResourceType"] is null or "instance"))
                MergeTags(TagsOf(State.Tags, instance.Id), spec!["Tags"]);
            launched.Add(instance);
            if (userData != null && EcsCluster().Match(userData) is { Success: true } m) _ecs.AgentStarted(m.Groups[1].Value, instance.Id, c);
        }
        return new JsonObject
        {
            ["ReservationId"] = reservation,
            ["OwnerId"] = c.Account,
            ["Instances"] = new JsonArray(launched.Select(x => (JsonNode?)InstanceView(x, c)).ToArray()),
        };
    });

    JsonNode? DescribeInstances(JsonObject i, RequestContext c) => Read(() =>
    {
        var ids = Strings(i, "InstanceIds").ToList();
        foreach (var id in ids) if (!State.Instances.ContainsKey(id)) throw InstanceNotFound(id);
        var filters = Filters(i);
        var matching = State.Instances.Values.Where(x => (ids.Count == 0 || ids.Contains(x.Id)) && Matches(x, filters, c)).ToList();
        return new JsonObject
        {
            ["Reservations"] = new JsonArray(matching.GroupBy(x => x.ReservationId).Select(g => (JsonNode?)new JsonObject
            {
                ["ReservationId"] = g.Key,
                ["OwnerId"] = c.Account,
                ["Instances"] = new JsonArray(g.Select(x => (JsonNode?)InstanceView(x, c)).ToArray()),
            }).ToArray()),
        };
    });

    JsonNode? StopInstances(JsonObject i, RequestContext c) => StateChange(i, c, "StoppingInstances", "stopped", x => x.StopRequested = c.Now);

    JsonNode? StartInstances(JsonObject i, RequestContext c) => StateChange(i, c, "StartingInstances", "started", x =>
    {
        x.StopRequested = null;
        x.Started = c.Now;
    });

    JsonNode? TerminateInstances(JsonObject i, RequestContext c) => StateChange(i, c, "TerminatingInstances", null, x =>
    {
        x.TerminateRequested ??= c.Now;
        _ecs.AgentStopped(x.Id, c);
    });

    /// <summary>
    /// Applies <paramref name="change"/> to each named instance and reports its state before and after. When the change
    /// is one a terminated instance cannot make (<paramref name="verb"/>: "started", "stopped"), nothing changes if any is terminating.
    /// </summary>
    JsonNode? StateChange(JsonObject i, RequestContext c, string member, string? verb, Action<Ec2Instance> change) => Write(() =>
    {
        var instances = Strings(i, "InstanceIds").Select(id => State.Instances.TryGetValue(id, out var found) ? found : throw InstanceNotFound(id)).ToList();
        if (verb != null && instances.FirstOrDefault(x => x.TerminateRequested != null) is { } gone)
            throw new AwsError("IncorrectInstanceState", $"The instance '{gone.Id}' is not in a state from which it can be {verb}.");
        var changes = new JsonArray();
        foreach (var x in instances)
        {
            var before = _lifecycle.State(x, c.Now);
            change(x);
            var after = _lifecycle.State(x, c.Now);
            changes.Add(new JsonObject
            {
                ["InstanceId"] = x.Id,
                ["PreviousState"] = StateView(before),
                ["CurrentState"] = StateView(after),
            });
        }
        return new JsonObject { [member] = changes };
    });

    static AwsError InstanceNotFound(string id) => new("InvalidInstanceID.NotFound", $"The instance ID '{id}' does not exist");

    static JsonObject StateView(string state) => new() { ["Code"] = Ec2InstanceLifecycle.Code(state), ["Name"] = state };

    JsonObject InstanceView(Ec2Instance x, RequestContext c)
    {
        var state = _lifecycle.State(x, c.Now);
        var subnet = int.TryParse(x.SubnetId[^1..], out var n) ? n - 1 : 0;
        return new JsonObject
        {
            ["InstanceId"] = x.Id,
            ["ImageId"] = x.ImageId,
            ["InstanceType"] = x.Type,
            ["LaunchTime"] = x.Launched.ToString("O"),
            ["State"] = StateView(state),
            ["SubnetId"] = x.SubnetId,
            ["VpcId"] = Ec2Network.Vpc,
            ["PrivateIpAddress"] = x.PrivateIp,
            ["Placement"] = new JsonObject { ["AvailabilityZone"] = c.Region + Ec2Network.Zones[Math.Clamp(subnet, 0, 2)] },
            ["SecurityGroups"] = new JsonArray(x.SecurityGroups.Select(g => (JsonNode?)new JsonObject { ["GroupId"] = g,
                ["GroupName"] = State.Groups.GetValueOrDefault(g)?.Name }).ToArray()),
            ["Tags"] = TagList(x.Id),
            ["Architecture"] = "x86_64",
            ["RootDeviceType"] = "ebs",
            ["Hypervisor"] = "xen",
            ["VirtualizationType"] = "hvm",
        };
    }

    bool Matches(Ec2Instance x, Dictionary<string, List<string>> filters, RequestContext c)
    {
        foreach (var (name, values) in filters)
        {
            var ok = name switch
            {
                "instance-state-name" => values.Contains(_lifecycle.State(x, c.Now)),
                "instance-id" => values.Contains(x.Id),
                "vpc-id" => values.Contains(Ec2Network.Vpc),
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

    [GeneratedRegex(@"ECS_CLUSTER=([A-Za-z0-9_-]+)")]
    private static partial Regex EcsCluster();
}
