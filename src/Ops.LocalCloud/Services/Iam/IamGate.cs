using Ops.Contracts;
using Ops.LocalCloud.Iam;

namespace Ops.LocalCloud.Services.Iam;

/// <summary>
/// Where requests meet IAM: which secret an access key has (the operator's, the public one, or an issued session's),
/// whether a session's token and lifetime hold, and — for requests signed with a role's temporary credentials —
/// whether the role's policies allow the action on every resource the request touches. A refusal is AWS's
/// AccessDenied in the service's dialect, naming the caller, action and resource, and is appended to
/// <c>iam-denied.log</c> in the state directory. The operator's and the public keys are not evaluated.
/// </summary>
internal sealed class IamGate
{
    /// <summary>The file (in the state directory) every refused request is appended to, one line each.</summary>
    public const string DeniedLogName = "iam-denied.log";

    readonly Dictionary<string, string> _keys;
    readonly IamService _iam;
    readonly LocalCloudOptions _options;
    readonly object _logGate = new();
    long _denied;

    public IamGate(LocalCloudOptions options, IamService iam, RoleSessions sessions)
    {
        _options = options;
        _iam = iam;
        Sessions = sessions;
        _keys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [options.AccessKey] = options.SecretKey,
            [OperatorCredentials.PublicAccessKey] = OperatorCredentials.PublicSecretKey,
        };
    }

    public RoleSessions Sessions { get; }

    /// <summary>Requests refused by IAM since this local cloud started.</summary>
    public long Denied => Interlocked.Read(ref _denied);

    /// <summary>The secret of an access key this local cloud knows, or null.</summary>
    public string? SecretOf(string accessKey) => _keys.GetValueOrDefault(accessKey) ?? Sessions.Find(accessKey)?.SecretAccessKey;

    /// <summary>
    /// The role session a request is signed with (null for the operator's and the public keys), after checking its
    /// token header and lifetime as STS does.
    /// </summary>
    public RoleSession? SessionOf(string accessKey, IReadOnlyDictionary<string, string> headers, bool json)
    {
        if (Sessions.Find(accessKey) is not { } session) return null;
        if (headers.GetValueOrDefault("x-amz-security-token") != session.SessionToken)
            throw new AwsError(json ? "UnrecognizedClientException" : "InvalidClientTokenId", "The security token included in the request is invalid.", 403);
        if (Sessions.Expired(session))
            throw new AwsError(json ? "ExpiredTokenException" : "ExpiredToken", "The security token included in the request is expired", 403);
        return session;
    }

    /// <summary>Whether a request signed this way is evaluated at all: only role sessions, only with enforcement on.</summary>
    bool Evaluates(RoleSession? session) => session != null && _options.EnforceIam;

    /// <summary>A decoded call of <paramref name="service"/>: refused unless the session's role allows it on every resource it names (see <see
    /// cref="ActionResources"/>).</summary>
    public void Authorize(RoleSession? session, string service, string operation, System.Text.Json.Nodes.JsonObject input, AwsProtocol protocol, string region)
    {
        if (!Evaluates(session)) return;
        Authorize(session!, ActionResources.ActionOf(service, operation), ActionResources.Of(service, operation, input, region, _options.Account), protocol,
            service, region);
    }

    /// <summary>An S3 REST request: refused unless the session's role allows its action on its bucket or object.</summary>
    public void AuthorizeS3(RoleSession? session, string method, string rawPath, IEnumerable<string> queryKeys, string region)
    {
        if (!Evaluates(session)) return;
        var (action, resource) = ActionResources.OfS3(method, rawPath, queryKeys);
        Authorize(session!, action, [resource], AwsProtocol.RestXml, "s3", region);
    }

    /// <summary>Refuses the request unless the session's role allows <paramref name="action"/> on every resource.</summary>
    void Authorize(RoleSession session, string action, IReadOnlyList<string> resources, AwsProtocol protocol, string service, string region)
    {
        if (action == "sts:GetCallerIdentity") return;
        var policies = _iam.PoliciesOf(session.RoleArn) ?? [];
        var context = IamService.RequestContextKeys(session.AssumedRoleArn, region);
        foreach (var resource in resources)
        {
            var evaluation = PolicyEvaluator.Evaluate(policies, action, resource, context);
            if (evaluation.IsAllowed) continue;
            var message = $"User: {session.AssumedRoleArn} is not authorized to perform: {action} on resource: {resource} {evaluation.Reason}";
            Record(message);
            throw Refusal(protocol, service, message);
        }
    }

    void Record(string message)
    {
        Interlocked.Increment(ref _denied);
        if (_options.StateDirectory is not { } state) return;
        lock (_logGate)
            File.AppendAllText(Path.Combine(state, DeniedLogName), $"{_options.Clock.GetUtcNow():yyyy-MM-dd'T'HH:mm:ss'Z'} {message}\n");
    }

    /// <summary>AccessDenied as each service spells it.</summary>
    static AwsError Refusal(AwsProtocol protocol, string service, string message) => service switch
    {
        "sns" => new AwsError("AuthorizationError", message, 403),
        "ec2" => new AwsError("UnauthorizedOperation", $"You are not authorized to perform this operation. {message}", 403),
        "sqs" => new AwsError("AccessDenied", message, 403) { QueryCode = "AccessDenied" },
        _ when protocol == AwsProtocol.Json => new AwsError("AccessDeniedException", message, 400),
        _ => new AwsError("AccessDenied", message, 403),
    };
}
