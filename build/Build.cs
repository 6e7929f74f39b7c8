using System.Text.RegularExpressions;
using Ops.Aws;
using Ops.Targets;

namespace Ops.Build;

/// <summary>Ops: targets that create, deploy, roll out, tear down and recreate the IoT cloud's infrastructure.</summary>
sealed partial class Build : BuildBase
{
    public static Task<int> Main(string[] args) => Execute<Build>(args);

    [Parameter("Stage whose resources are addressed.")]
    public DeployStage Stage = DeployStage.Dev;

    [Parameter("Where resources live: local (embedded local cloud, no AWS account) or aws (real AWS).")]
    public CloudKind Cloud = CloudKind.Local;

    [Parameter("Use this AWS-compatible endpoint instead (a running local cloud, moto, LocalStack).")]
    public Uri? EndpointUrl;

    [Parameter("AWS region.")]
    public string Region = "us-east-1";

    [Parameter("Named profile from ~/.aws/config, used with --cloud aws.")]
    public string? AwsProfile;

    Target Info => _ => _
        .Description("Print the resolved stage, cloud, region, endpoint and profile")
        .Executes(() =>
        {
            Log.Info($"stage        {Stage.ToString().ToLowerInvariant()}");
            Log.Info($"cloud        {DescribeCloud()}");
            Log.Info($"region       {Region}");
            Log.Info($"endpoint     {EndpointUrl?.ToString() ?? (Cloud == CloudKind.Aws ? "AWS's regional endpoints" : "the local cloud's, on 127.0.0.1")}");
            Log.Info($"aws-profile  {(Cloud == CloudKind.Aws ? AwsProfile ?? "(default credential chain)" : "(not used with --cloud local)")}");
        });

    string DescribeCloud() => Cloud switch
    {
        CloudKind.Aws => "aws (real AWS, standard credential chain)",
        _ => "local (nothing reaches AWS)",
    };

    protected override void Validate()
    {
        if (!RegionName().IsMatch(Region))
            throw new UsageException($"--region '{Region}' is not an AWS region name; use one like us-east-1 or eu-west-2.");
        if (EndpointUrl != null && EndpointUrl.Scheme is not ("http" or "https"))
            throw new UsageException($"--endpoint-url '{EndpointUrl}' must be an http:// or https:// URL, like http://127.0.0.1:4566.");
        if (AwsProfile != null && (AwsProfile.Length == 0 || AwsProfile.Any(char.IsWhiteSpace)))
            throw new UsageException($"--aws-profile '{AwsProfile}' is not a profile name; use the name of a [profile …] section in ~/.aws/config.");
    }

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")]
    private static partial Regex RegionName();
}
