namespace Ops.LocalCloud.Services.Ec2;

/// <summary>An EC2 instance: what it was launched with, and the timestamps its state follows from (see <see cref="Ec2InstanceLifecycle"/>).</summary>
internal sealed class Ec2Instance
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
