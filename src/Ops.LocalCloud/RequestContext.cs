namespace Ops.LocalCloud;

/// <summary>What a handler knows about the request: who, where, when.</summary>
public sealed record RequestContext(string Account, string Region, string RequestId, DateTimeOffset Now, Uri BaseUrl)
{
    public string Arn(string service, string resource) => $"arn:aws:{service}:{Region}:{Account}:{resource}";
}
