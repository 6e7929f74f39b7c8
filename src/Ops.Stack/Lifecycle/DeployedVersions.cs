using Amazon.Runtime;
using Ops.Aws.Lookups;
using Ops.Aws.Ssm;
using Ops.Stack.Core;

namespace Ops.Stack.Lifecycle;

/// <summary>
/// What was last deployed to the stage, recorded at deploy time so recreate can bring it back after a teardown: the web
/// tier's application version label and the worker image, each an SSM String parameter under
/// <c>/ops/&lt;project&gt;/&lt;stage&gt;/</c> (<c>deployed-web-version</c>, <c>deployed-worker-image</c>). They are written only
/// when a deploy changed what runs, so a no-op run writes nothing.
/// </summary>
public sealed class DeployedVersions(StageContext context)
{
    readonly SsmClient _ssm = new(context.Connection);

    string Prefix => $"/ops/{context.Stack.Project}/{context.Stack.Stage}/";

    public string WebParameter => Prefix + "deployed-web-version";

    public string WorkerParameter => Prefix + "deployed-worker-image";

    /// <summary>Records the web tier's running version (not on a dry run).</summary>
    public Task RecordWebAsync(string label, CancellationToken ct) => RecordAsync(WebParameter, label, "the web tier's deployed application version (recreate brings it back)", ct);

    /// <summary>Records the workers' running image reference (not on a dry run).</summary>
    public Task RecordWorkerAsync(string image, CancellationToken ct) => RecordAsync(WorkerParameter, image, "the workers' deployed image (recreate brings it back)", ct);

    /// <summary>The recorded web version label, or null when none was recorded.</summary>
    public Task<string?> WebAsync(CancellationToken ct) => ReadAsync(WebParameter, ct);

    /// <summary>The recorded worker image reference, or null when none was recorded.</summary>
    public Task<string?> WorkerAsync(CancellationToken ct) => ReadAsync(WorkerParameter, ct);

    async Task RecordAsync(string name, string value, string description, CancellationToken ct)
    {
        if (context.DryRun) return;
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = name, Value = value, Type = "String", Overwrite = true, Description = description }, ct);
        context.Log.Info($"recorded {name} = {value}");
    }

    async Task<string?> ReadAsync(string name, CancellationToken ct)
    {
        try
        {
            return (await _ssm.GetParameterAsync(new GetParameterRequest { Name = name }, ct)).Parameter?.Value;
        }
        catch (AmazonServiceException e) when (AwsErrors.Is(e, "ParameterNotFound"))
        {
            return null;
        }
    }
}
