namespace Ops.LocalCloud.Services.Ecr;

/// <summary>One image in a repository: its manifest (whose SHA-256 is the digest) and the tags pointing at it.</summary>
internal sealed class EcrImage
{
    public string Digest { get; set; } = "";
    public string Manifest { get; set; } = "";
    public string MediaType { get; set; } = "";
    public List<string> Tags { get; set; } = [];
    public DateTimeOffset Pushed { get; set; }
}
