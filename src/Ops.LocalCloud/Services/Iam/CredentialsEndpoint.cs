using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Ops.LocalCloud.Iam;

namespace Ops.LocalCloud.Services.Iam;

/// <summary>
/// The container credentials endpoint, as ECS's agent serves it to a task (<c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>):
/// <c>GET /_iam/credentials/&lt;token&gt;</c> answers the temporary credentials of the grant's role as JSON
/// (<c>AccessKeyId</c>, <c>SecretAccessKey</c>, <c>Token</c>, <c>Expiration</c>, <c>RoleArn</c>). No signature: the
/// unguessable token is the process's own. A role that is missing, or whose trust policy does not admit the service
/// that takes it (<c>ecs-tasks.amazonaws.com</c>, <c>ec2.amazonaws.com</c>), gets no credentials, as on AWS.
/// </summary>
internal sealed class CredentialsEndpoint(IamService iam, RoleSessions sessions, LocalCloudOptions options)
{
    public const string Prefix = "/_iam/credentials";

    /// <summary>How long issued credentials last; SDKs fetch new ones in the last minutes, and the endpoint renews in the last 15.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    static readonly TimeSpan RenewWithin = TimeSpan.FromMinutes(15);

    readonly ConcurrentDictionary<string, CredentialGrant> _grants = new(StringComparer.Ordinal);

    /// <summary>A grant under an unguessable token the caller made (the process's own metadata token), for its credentials URI.</summary>
    public void Grant(string token, Func<string?> role, string servicePrincipal, string sessionName) =>
        _grants[token] = new CredentialGrant(role, servicePrincipal, sessionName);

    public void Revoke(string token) => _grants.TryRemove(token, out _);

    /// <summary>The URI a process is given as <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>.</summary>
    public static string UriFor(Uri endpoint, string token) => $"{endpoint.ToString().TrimEnd('/')}{Prefix}/{token}";

    public async Task HandleAsync(HttpContext http)
    {
        var token = (http.Request.Path.Value ?? "")[Prefix.Length..].Trim('/');
        if (http.Request.Method != "GET" || !_grants.TryGetValue(token, out var grant))
        {
            await Protocol.JsonReply.WriteAsync(http, 404, new JsonObject { ["code"] = "NotFound", ["message"] = "unknown or revoked credentials token" });
            return;
        }
        var (session, problem) = Issue(grant);
        if (session == null)
        {
            await Protocol.JsonReply.WriteAsync(http, 400, new JsonObject { ["code"] = "AccessDenied", ["message"] = problem });
            return;
        }
        await Protocol.JsonReply.WriteAsync(http, 200, new JsonObject
        {
            ["RoleArn"] = session.RoleArn,
            ["AccessKeyId"] = session.AccessKeyId,
            ["SecretAccessKey"] = session.SecretAccessKey,
            ["Token"] = session.SessionToken,
            ["Expiration"] = session.Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        });
    }

    (RoleSession?, string?) Issue(CredentialGrant grant)
    {
        lock (grant)
        {
            if (grant.Current is { } current && current.Expiration - options.Clock.GetUtcNow() > RenewWithin) return (current, null);
            var roleArn = grant.Role();
            if (roleArn == null) return (null, $"the {grant.ServicePrincipal} role of {grant.SessionName} is not set, or its instance profile has no role");
            if (iam.TrustOf(roleArn, options.Account) is not { } role)
                return (null, $"{grant.ServicePrincipal} was unable to assume the role '{roleArn}': it does not exist (run ./build.sh create-iam)");
            var context = IamService.RequestContextKeys(roleArn, options.Region);
            if (!PolicyEvaluator.Trusts(role.Trust, "sts:AssumeRole", "Service", grant.ServicePrincipal, context))
                return (null, $"{grant.ServicePrincipal} was unable to assume the role '{roleArn}': its trust policy does not admit the service principal {grant.ServicePrincipal}");
            grant.Current = sessions.Issue(role.Arn, grant.SessionName, Lifetime);
            return (grant.Current, null);
        }
    }
}
