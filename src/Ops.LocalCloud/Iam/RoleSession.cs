namespace Ops.LocalCloud.Iam;

/// <summary>Temporary credentials of a role, as STS issues them: an <c>ASIA…</c> key, its secret, a session token, and when they expire.</summary>
public sealed record RoleSession(string AccessKeyId, string SecretAccessKey, string SessionToken, string RoleArn, string SessionName, DateTimeOffset Expiration)
{
    /// <summary>Who the session's requests come from: <c>arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION</c>.</summary>
    public string AssumedRoleArn
    {
        get
        {
            var parts = RoleArn.Split(':');
            return $"arn:aws:sts::{parts[4]}:assumed-role/{RoleArn[(RoleArn.LastIndexOf('/') + 1)..]}/{SessionName}";
        }
    }
}
