namespace Ops.Stack.Model;

/// <summary>The EC2 container instances that join the cluster.</summary>
public sealed record InstancesSpec
{
    public string InstanceType { get; init; } = "t3.medium";

    /// <summary>How many instances (0–100).</summary>
    public int Count { get; init; } = 1;

    /// <summary>Public SSM parameter naming the current ECS-optimised AMI.</summary>
    public string AmiParameter { get; init; } = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";

    /// <summary>The instance profile (and role, same name) the container instances run with; create-iam makes it with AWS's managed policy for ECS
    /// instances.</summary>
    public string InstanceProfile { get; init; } = "";

    /// <summary>The instances' security group (no ingress from 0.0.0.0/0).</summary>
    public required string SecurityGroup { get; init; }

    /// <summary>Subnet to launch in; null: the default VPC's.</summary>
    public string? Subnet { get; init; }
}
