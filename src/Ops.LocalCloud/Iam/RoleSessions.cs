using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Ops.LocalCloud.Iam;

/// <summary>
/// The temporary credentials this local cloud has issued (AssumeRole, and the credentials endpoint behind each task and
/// web process), by access key. Kept in memory only: everything that holds them stops with the local cloud.
/// </summary>
public sealed class RoleSessions(TimeProvider clock)
{
    readonly ConcurrentDictionary<string, RoleSession> _byKey = new(StringComparer.Ordinal);

    public RoleSession Issue(string roleArn, string sessionName, TimeSpan duration)
    {
        var now = clock.GetUtcNow();
        foreach (var stale in _byKey.Values.Where(s => s.Expiration < now).ToList()) _byKey.TryRemove(stale.AccessKeyId, out _);
        var session = new RoleSession(Services.Identifiers.Random("ASIA", 16), Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)), roleArn, sessionName, now + duration);
        _byKey[session.AccessKeyId] = session;
        return session;
    }

    /// <summary>The session of this access key, whether or not it has expired (the caller reports which).</summary>
    public RoleSession? Find(string accessKey) => accessKey.StartsWith("ASIA", StringComparison.Ordinal) ? _byKey.GetValueOrDefault(accessKey) : null;

    public bool Expired(RoleSession session) => session.Expiration <= clock.GetUtcNow();
}
