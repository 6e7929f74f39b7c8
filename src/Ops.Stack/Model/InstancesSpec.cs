namespace Ops.Stack.Model;

/// <summary>The EC2 container instances that join the cluster.</summary>
public sealed record InstancesSpec
{
    public string InstanceType { get; init; } = "t3.medium";

    /// <summary>How many instances (0–100).</summary>
    public int Count { get; init; } = 1;

    /// <summary>Public SSM parameter naming the current ECS-optimised AMI.</summary>
    public string AmiParameter { get; init; } = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";

    /// <summary>Instance profile the instances run with (must allow the ECS agent).</summary>
    public string InstanceProfile { get; init; } = "ecsInstanceRole";

    /// <summary>The instances' security group (no ingress from 0.0.0.0/0).</summary>
    public required string SecurityGroup { get; init; }

    /// <summary>Subnet to launch in; null: the default VPC's.</summary>
    public string? Subnet { get; init; }
}
