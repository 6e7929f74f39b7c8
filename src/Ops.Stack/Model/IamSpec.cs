namespace Ops.Stack.Model;

/// <summary>
/// The stage's roles (create-iam, docs/iam.md): one per part that runs, each allowed only this stage's resources.
/// Instance roles share their name with their instance profile; the container instances' is <c>instances.instance-profile</c>. Extra statements are the app's
/// own needs, written
/// <c>Allow|Deny action[,action…] resource[,resource…]</c>.
/// </summary>
public sealed record IamSpec
{
    /// <summary>The workers' task role: the queues, worker-log and rollout tables, SSM prefix and uploads bucket.</summary>
    public string WorkerRole { get; init; } = "";

    /// <summary>The task execution role ECS's agent uses: pull the image, write the log group.</summary>
    public string ExecutionRole { get; init; } = "";

    /// <summary>The web tier's role and instance profile on Elastic Beanstalk.</summary>
    public string WebRole { get; init; } = "";

    /// <summary>Elastic Beanstalk's service role (AWS's managed enhanced-health and managed-updates policies).</summary>
    public string WebServiceRole { get; init; } = "";

    /// <summary>The role GitHub Actions assumes (OIDC) to run Ops for this stage; needs <c>pipeline.repository</c>.</summary>
    public string DeployRole { get; init; } = "";

    /// <summary>Statements added to the worker task role.</summary>
    public IReadOnlyList<string> WorkerStatements { get; init; } = [];

    /// <summary>Statements added to the web role.</summary>
    public IReadOnlyList<string> WebStatements { get; init; } = [];
}
