namespace Ops.LocalCloud.Services.Ssm;

internal sealed partial class SsmService
{
    /// <summary>
    /// AWS's public parameters under <c>/aws/service/</c> that Ops reads (the ECS-optimised AMIs), answered as AWS does
    /// in every account; each names an image LocalCloud's EC2 knows (Ec2Network).
    /// </summary>
    static readonly IReadOnlyDictionary<string, string> PublicParameters = new Dictionary<string, string>
    {
        ["/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"] = "ami-0ecs0000000000001",
    };

    /// <summary>The public parameter <paramref name="name"/> (version 1, a String), or null when it is not one.</summary>
    static SsmParameter? PublicParameter(string name) =>
        PublicParameters.TryGetValue(name, out var value)
            ? new SsmParameter { Name = name, Type = "String", Value = value, Version = 1, LastModified = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) }
            : null;
}
