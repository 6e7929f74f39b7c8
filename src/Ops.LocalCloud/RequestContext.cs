namespace Ops.LocalCloud;

/// <summary>What a handler knows about the request: who, where, when.</summary>
public sealed record RequestContext(string Account, string Region, string RequestId, DateTimeOffset Now, Uri BaseUrl)
{
    /// <summary>The assumed-role ARN when the request is signed with a role's temporary credentials; null for the operator's and the public keys.</summary>
    public string? Caller { get; init; }

    /// <summary>The request is signed with the operator's keys (full access, may start programs).</summary>
    public bool CallerIsOperator { get; init; }

    public string Arn(string service, string resource) => $"arn:aws:{service}:{Region}:{Account}:{resource}";
}
