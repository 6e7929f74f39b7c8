using System.Collections.Immutable;

namespace Ops.LocalCloud.Services.Ec2;

/// <summary>The fixed parts of the local EC2: the default VPC, its zones and subnets, and the images one can launch.</summary>
internal static class Ec2Network
{
    public const string Vpc = "vpc-0local000000000001";
    public const string DefaultSubnet = "subnet-0local000000000001";
    public static readonly ImmutableArray<string> Zones = ["a", "b", "c"];

    public static readonly ImmutableArray<(string Id, string Name)> Images =
    [
        ("ami-0ecs0000000000001", "al2023-ami-ecs-hvm-2023.0.20261101-kernel-6.1-x86_64"),
        ("ami-0al20230000000001", "al2023-ami-2023.6.20261101.0-kernel-6.1-x86_64"),
    ];

    /// <summary>The id of the default subnet in zone number <paramref name="n"/> (0-based).</summary>
    public static string SubnetId(int n) => $"subnet-0local00000000000{n + 1}";
}
