namespace Ops.LocalCloud.Web;

/// <summary>
/// What an environment runs: its version's source bundle (bucket and key in the local cloud's S3), the environment
/// variables and health-check path of its option settings, its port, why it starts (create, update, restart), and the
/// instance profile whose role its process runs as (<c>aws:autoscaling:launchconfiguration</c> <c>IamInstanceProfile</c>).
/// </summary>
internal sealed record WebDeployment(
    string EnvironmentId, string EnvironmentName, string Version, string? Bucket, string? Key,
    IReadOnlyDictionary<string, string> Variables, string HealthPath, int Port, WebStart Reason, string? InstanceProfile = null);
