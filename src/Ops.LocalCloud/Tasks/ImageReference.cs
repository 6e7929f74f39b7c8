namespace Ops.LocalCloud.Tasks;

/// <summary>An image reference split as Docker reads it: registry host, repository, and a tag or digest.</summary>
internal sealed record ImageReference(string Host, string Repository, string? Tag, string? Digest)
{
    /// <summary>The tag or digest to ask the registry for (a digest wins; no tag means <c>latest</c>).</summary>
    public string Reference => Digest ?? Tag ?? "latest";

    /// <summary>
    /// Parses <c>[host[:port]/]repository[:tag][@sha256:hex]</c>; the first part is a host when it has a dot or a colon
    /// or is <c>localhost</c>, else the image is on Docker Hub (<c>docker.io</c>).
    /// </summary>
    public static ImageReference Parse(string image)
    {
        var rest = image.Trim();
        string? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
        }
        var slash = rest.IndexOf('/');
        var host = "docker.io";
        if (slash > 0 && (rest[..slash].Contains('.') || rest[..slash].Contains(':') || rest[..slash] == "localhost"))
        {
            host = rest[..slash];
            rest = rest[(slash + 1)..];
        }
        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }
        if (host == "docker.io" && !rest.Contains('/')) rest = "library/" + rest;
        return new ImageReference(host, rest, tag, digest);
    }
}
