using System.Text.Json.Nodes;
using Ops.LocalCloud.Iam;
using Ops.LocalCloud.Services.Iam;

namespace Ops.LocalCloud.Services.Sts;

/// <summary>
/// STS: who the caller is (the account id goes into ECR and queue URLs; a role session is its assumed-role ARN), and
/// AssumeRole — temporary credentials of a role whose trust policy admits the caller. The operator may take any role
/// (it has full access anyway); anyone else needs the role's trust, and a role session also its own sts:AssumeRole.
/// </summary>
internal sealed class StsService : ServiceHandler
{
    readonly IamService _iam;
    readonly RoleSessions _sessions;

    public override string Name => "sts";

    public StsService(IamService iam, RoleSessions sessions)
    {
        _iam = iam;
        _sessions = sessions;
        On("GetCallerIdentity", GetCallerIdentity);
        On("AssumeRole", AssumeRole);
    }

    static JsonNode? GetCallerIdentity(JsonObject i, RequestContext c) => new JsonObject
    {
        ["Account"] = c.Account,
        ["UserId"] = c.Caller == null ? "AIDALOCALCLOUD" : $"AROALOCALCLOUD:{c.Caller[(c.Caller.LastIndexOf('/') + 1)..]}",
        ["Arn"] = c.Caller ?? $"arn:aws:iam::{c.Account}:user/local-cloud",
    };

    JsonNode? AssumeRole(JsonObject i, RequestContext c)
    {
        var roleArn = Required(i, "RoleArn");
        var sessionName = Required(i, "RoleSessionName");
        if (sessionName.Length is < 2 or > 64 || sessionName.Any(ch => !char.IsAsciiLetterOrDigit(ch) && !"+=,.@-_".Contains(ch)))
            throw new AwsError("ValidationError", $"1 validation error detected: Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", 400);
        var role = _iam.TrustOf(roleArn, c.Account);
        var caller = c.Caller ?? $"arn:aws:iam::{c.Account}:user/local-cloud";
        if (role == null || (!c.CallerIsOperator && !PolicyEvaluator.Trusts(role.Value.Trust, "sts:AssumeRole", "AWS", caller, IamService.RequestContextKeys(caller, c.Region))))
            throw new AwsError("AccessDenied", $"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {roleArn}", 403);
        var seconds = Number(i, "DurationSeconds") ?? 3600;
        if (seconds < 900 || seconds > role.Value.MaxSessionSeconds)
            throw new AwsError("ValidationError", $"The requested DurationSeconds exceeds the MaxSessionDuration set for this role (900 to {role.Value.MaxSessionSeconds}).", 400);
        var session = _sessions.Issue(role.Value.Arn, sessionName, TimeSpan.FromSeconds(seconds));
        return new JsonObject
        {
            ["Credentials"] = new JsonObject
            {
                ["AccessKeyId"] = session.AccessKeyId,
                ["SecretAccessKey"] = session.SecretAccessKey,
                ["SessionToken"] = session.SessionToken,
                ["Expiration"] = session.Expiration.ToString("O"),
            },
            ["AssumedRoleUser"] = new JsonObject { ["AssumedRoleId"] = $"AROALOCALCLOUD:{sessionName}", ["Arn"] = session.AssumedRoleArn },
        };
    }
}
