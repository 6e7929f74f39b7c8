using Ops.LocalCloud.Iam;

namespace Ops.LocalCloud.Services.Iam;

/// <summary>
/// What one task or web process may fetch from the credentials endpoint: the role it runs as (resolved on each fetch:
/// a task role ARN, or an instance profile's role), the service that takes the role for it (whose trust the role must
/// grant), and the session last issued, handed out again until it is within its refresh window.
/// </summary>
internal sealed class CredentialGrant(Func<string?> role, string servicePrincipal, string sessionName)
{
    public Func<string?> Role { get; } = role;
    public string ServicePrincipal { get; } = servicePrincipal;
    public string SessionName { get; } = sessionName;
    public RoleSession? Current { get; set; }
}
