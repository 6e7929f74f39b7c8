using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ec2;

/// <summary>EC2 security groups: create, describe with filters, delete (not while an instance uses them), ingress rules.</summary>
internal sealed partial class Ec2Service
{
    JsonNode? CreateSecurityGroup(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = Required(i, "GroupName");
        var vpc = Optional(i, "VpcId") ?? Ec2Network.Vpc;
        if (State.Groups.Values.Any(g => g.Name == name && g.VpcId == vpc))
            throw new AwsError("InvalidGroup.Duplicate", $"The security group '{name}' already exists for VPC '{vpc}'");
        var group = new Ec2SecurityGroup { Id = "sg-" + Hex(17), Name = name, Description = Required(i, "Description"), VpcId = vpc };
        State.Groups[group.Id] = group;
        foreach (var spec in (i["TagSpecifications"] as JsonArray) ?? [])
            MergeTags(TagsOf(State.Tags, group.Id), spec!["Tags"]);
        return new JsonObject { ["GroupId"] = group.Id };
    });

    JsonNode? DescribeSecurityGroups(JsonObject i, RequestContext c) => Read(() =>
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
        return new JsonObject { ["SecurityGroups"] = new JsonArray(groups.Select(g => (JsonNode?)GroupView(g, c)).ToArray()) };
    });

    JsonNode? DeleteSecurityGroup(JsonObject i, RequestContext c) => Write(() =>
    {
        var group = FindGroup(Required(i, "GroupId"));
        if (State.Instances.Values.Any(x => x.TerminateRequested == null && x.SecurityGroups.Contains(group.Id)))
            throw new AwsError("DependencyViolation", $"resource {group.Id} has a dependent object");
        State.Groups.Remove(group.Id);
        State.Tags.Remove(group.Id);
        return new JsonObject { ["Return"] = true, ["GroupId"] = group.Id };
    });

    JsonNode? AuthorizeSecurityGroupIngress(JsonObject i, RequestContext c) => Write(() =>
    {
        var group = FindGroup(Required(i, "GroupId"));
        foreach (var p in (i["IpPermissions"] as JsonArray) ?? [])
        {
            if (group.Ingress.Any(r => JsonNode.DeepEquals(r, p)))
                throw new AwsError("InvalidPermission.Duplicate", "the specified rule already exists");
            group.Ingress.Add(p!.DeepClone().AsObject());
        }
        return new JsonObject { ["Return"] = true };
    });

    JsonNode? RevokeSecurityGroupIngress(JsonObject i, RequestContext c) => Write(() =>
    {
        var group = FindGroup(Required(i, "GroupId"));
        foreach (var p in (i["IpPermissions"] as JsonArray) ?? [])
            if (group.Ingress.RemoveAll(r => JsonNode.DeepEquals(r, p)) == 0)
                throw new AwsError("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
        return new JsonObject { ["Return"] = true };
    });

    Ec2SecurityGroup FindGroup(string id) =>
        State.Groups.TryGetValue(id, out var g) ? g : throw new AwsError("InvalidGroup.NotFound", $"The security group '{id}' does not exist");

    JsonObject GroupView(Ec2SecurityGroup g, RequestContext c) => new()
    {
        ["GroupId"] = g.Id,
        ["GroupName"] = g.Name,
        ["Description"] = g.Description,
        ["VpcId"] = g.VpcId,
        ["OwnerId"] = c.Account,
        ["IpPermissions"] = new JsonArray(g.Ingress.Select(r => (JsonNode?)r.DeepClone()).ToArray()),
        ["IpPermissionsEgress"] = new JsonArray(new JsonObject { ["IpProtocol"] = "-1", ["IpRanges"] = new JsonArray(new JsonObject { ["CidrIp"] = "0.0.0.0/0" }) }),
        ["Tags"] = TagList(g.Id),
    };
}
