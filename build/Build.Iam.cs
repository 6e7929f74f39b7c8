using Ops.Stack.Identity;
using Ops.Targets;

namespace Ops.Build;

/// <summary>Identity: the stage's roles (create-iam, first in up) and what they and the operator are allowed (iam).</summary>
sealed partial class Build
{
    [Parameter("iam: print the least-privilege policy a person or CI needs to run Ops for the stage (a JSON policy document) instead of the roles.")]
    public bool OperatorPolicy;

    /// <summary>This run's cloud is the embedded local cloud with IAM enforced: the drill counts what it refused.</summary>
    bool EnforcedLocally => Cloud == Ops.Aws.CloudKind.Local && EndpointUrl == null && LocalCloudIam == LocalCloudIam.On;

    Target CreateIam => _ => _
        .Description("Create or correct the stage's roles: worker task and execution roles, ECS instance and web instance profiles, EB service role, Firehose delivery role, GitHub deploy role (exact ARNs, tagged)")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(f => new IamProvisioner(f).EnsureAsync(ct), ct));

    Target Iam => _ => _
        .Description("Print every role, trust and policy document create-iam would put for the stage (--output json), or with --operator-policy the policy needed to run Ops for it; read calls only")
        .Validates(CheckStack)
        .Executes(ct => FleetAsync(async f =>
        {
            await new IamReport(f).PrintAsync(Json, OperatorPolicy, ct);
            return [];
        }, ct));
}
