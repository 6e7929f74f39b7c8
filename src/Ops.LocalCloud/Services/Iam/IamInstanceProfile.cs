namespace Ops.LocalCloud.Services.Iam;

/// <summary>An instance profile: the (at most one) role an EC2 instance or Elastic Beanstalk web process takes.</summary>
internal sealed class IamInstanceProfile
{
    public string Name { get; set; } = "";
    public string Path { get; set; } = "/";
    public string Id { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    public List<string> Roles { get; set; } = [];
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);
}
