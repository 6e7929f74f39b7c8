namespace Ops.LocalCloud.Services.Iam;

/// <summary>An OpenID Connect identity provider (GitHub's, for deploy roles): URL, audiences, thumbprints.</summary>
internal sealed class IamOidcProvider
{
    public string Url { get; set; } = "";
    public List<string> ClientIds { get; set; } = [];
    public List<string> Thumbprints { get; set; } = [];
    public DateTimeOffset Created { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);
}
