namespace Ops.Stack.Web;

/// <summary>The Content-Type and Cache-Control a static file is uploaded with, from its name.</summary>
public static class ContentTypes
{
    static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".map"] = "application/json",
        [".json"] = "application/json",
        [".html"] = "text/html; charset=utf-8",
        [".htm"] = "text/html; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".xml"] = "application/xml",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".avif"] = "image/avif",
        [".ico"] = "image/x-icon",
        [".woff"] = "font/woff",
        [".woff2"] = "font/woff2",
        [".ttf"] = "font/ttf",
        [".otf"] = "font/otf",
        [".eot"] = "application/vnd.ms-fontobject",
        [".pdf"] = "application/pdf",
        [".wasm"] = "application/wasm",
        [".zip"] = "application/zip",
    };

    /// <summary>The file's media type; <c>application/octet-stream</c> when the extension is unknown.</summary>
    public static string Of(string key) => ByExtension.GetValueOrDefault(Path.GetExtension(key), "application/octet-stream");

    /// <summary>A year and <c>immutable</c> for a fingerprinted name (<c>site.3f2a9c1b7d.css</c>, as ManifestStaticFilesStorage writes), else five
    /// minutes.</summary>
    public static string CacheControl(string key) =>
        System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(key), @"\.[0-9a-f]{8,}\.[A-Za-z0-9]+$")
            ? "public, max-age=31536000, immutable"
            : "public, max-age=300";
}
