using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ec2;

/// <summary>EC2 network and images: the default VPC, its subnets and zones, and the images one can launch.</summary>
internal sealed partial class Ec2Service
{
    JsonNode? DescribeVpcs(JsonObject i, RequestContext c) => new JsonObject
    {
        ["Vpcs"] = new JsonArray(new JsonObject { ["VpcId"] = Ec2Network.Vpc, ["CidrBlock"] = "172.31.0.0/16", ["IsDefault"] = true, ["State"] = "available", ["OwnerId"] = c.Account }),
    };

    JsonNode? DescribeSubnets(JsonObject i, RequestContext c) => new JsonObject
    {
        ["Subnets"] = new JsonArray(Ec2Network.Zones.Select((z, n) => (JsonNode?)new JsonObject
        {
            ["SubnetId"] = Ec2Network.SubnetId(n),
            ["VpcId"] = Ec2Network.Vpc,
            ["AvailabilityZone"] = c.Region + z,
            ["CidrBlock"] = $"172.31.{n * 16}.0/20",
            ["State"] = "available",
            ["DefaultForAz"] = true,
            ["AvailableIpAddressCount"] = 4091,
        }).ToArray()),
    };

    JsonNode? DescribeAvailabilityZones(JsonObject i, RequestContext c) => new JsonObject
    {
        ["AvailabilityZones"] = new JsonArray(Ec2Network.Zones.Select((z, n) => (JsonNode?)new JsonObject
        {
            ["ZoneName"] = c.Region + z,
            ["State"] = "available",
            ["RegionName"] = c.Region,
            ["ZoneId"] = $"use1-az{n + 1}",
        }).ToArray()),
    };

    JsonNode? DescribeImages(JsonObject i, RequestContext c)
    {
        var ids = Strings(i, "ImageIds").ToList();
        if (ids.FirstOrDefault(id => Ec2Network.Images.All(img => img.Id != id)) is { } unknown)
            throw new AwsError(unknown.StartsWith("ami-", StringComparison.Ordinal) ? "InvalidAMIID.NotFound" : "InvalidAMIID.Malformed",
                unknown.StartsWith("ami-", StringComparison.Ordinal) ? $"The image id '[{unknown}]' does not exist" : $"Invalid id: \"{unknown}\" (expecting \"ami-...\")");
        var nameFilter = Filters(i).GetValueOrDefault("name");
        return new JsonObject
        {
            ["Images"] = new JsonArray(Ec2Network.Images
                .Where(img => (ids.Count == 0 || ids.Contains(img.Id)) && (nameFilter == null || nameFilter.Any(f => Glob(f).IsMatch(img.Name))))
                .Select(img => (JsonNode?)new JsonObject
                {
                    ["ImageId"] = img.Id,
                    ["Name"] = img.Name,
                    ["State"] = "available",
                    ["Architecture"] = "x86_64",
                    ["OwnerId"] = "amazon",
                    ["Public"] = true,
                    ["RootDeviceType"] = "ebs",
                    ["VirtualizationType"] = "hvm",
                    ["CreationDate"] = "2026-11-01T00:00:00.000Z",
                }).ToArray()),
        };
    }
}
