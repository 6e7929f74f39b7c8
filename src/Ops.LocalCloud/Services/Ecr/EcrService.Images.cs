using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecr;

internal sealed partial class EcrService
{
    JsonNode? PutImage(JsonObject i, RequestContext c) => Write(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        var manifest = Required(i, "imageManifest");
        var digest = DigestOf(manifest);
        var tag = Optional(i, "imageTag");
        var image = CheckPut(repo, digest, tag, c);
        if (tag != null) foreach (var other in repo.Images) other.Tags.Remove(tag);
        if (image == null) repo.Images.Add(image = new EcrImage { Digest = digest, Manifest = manifest, MediaType = Optional(i, "imageManifestMediaType") ?? "application/vnd.docker.distribution.manifest.v2+json", Pushed = c.Now });
        if (tag != null && !image.Tags.Contains(tag)) image.Tags.Add(tag);
        return new JsonObject { ["image"] = ImageObject(repo, image, c) };
    });

    /// <summary>ECR's refusals of a PutImage: a moved tag in an IMMUTABLE repository, or an image already there under that tag. Returns the image with that
    /// digest, if any.</summary>
    static EcrImage? CheckPut(EcrRepository repo, string digest, string? tag, RequestContext c)
    {
        if (tag != null && repo.Settings["imageTagMutability"]?.ToString() == "IMMUTABLE" && repo.Images.Any(x => x.Tags.Contains(tag) && x.Digest != digest))
            throw new AwsError("ImageTagAlreadyExistsException", $"The image tag '{tag}' already exists in the '{repo.Name}' repository and cannot be overwritten because the repository is immutable.");
        var image = repo.Images.FirstOrDefault(x => x.Digest == digest);
        if (image != null && (tag == null || image.Tags.Contains(tag)))
            throw new AwsError("ImageAlreadyExistsException",
                $"Image with digest '{digest}' and tag '{tag ?? "null"}' already exists in the repository with name '{repo.Name}' in registry with id '{c.Account}'");
        return image;
    }

    static string DigestOf(string manifest) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest)));

    /// <summary>What ECR reports as an image's size: its layers (compressed) and config, or the images of a list.</summary>
    static long SizeOf(EcrImage image)
    {
        try
        {
            var json = JsonNode.Parse(image.Manifest);
            var parts = ((json?["layers"] as JsonArray) ?? (json?["manifests"] as JsonArray) ?? []).Append(json?["config"]);
            return parts.Sum(p => p?["size"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0);
        }
        catch (System.Text.Json.JsonException)
        {
            return image.Manifest.Length;
        }
    }

    JsonNode? ListImages(JsonObject i, RequestContext c) => Read(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        var ids = repo.Images.SelectMany(x => x.Tags.Count == 0
            ? [(JsonNode?)new JsonObject { ["imageDigest"] = x.Digest }]
            : x.Tags.Select(t => (JsonNode?)new JsonObject { ["imageDigest"] = x.Digest, ["imageTag"] = t }));
        return Paginate(i, ids, "imageIds", "nextToken", "maxResults", 100);
    });

    JsonNode? DescribeImages(JsonObject i, RequestContext c) => Read(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        if (Missing(repo, i).FirstOrDefault() is { } missing)
            throw new AwsError("ImageNotFoundException",
                $"The image with imageId {{imageDigest:'{(string?)missing["imageDigest"] ?? "null"}', imageTag:'{(string?)missing["imageTag"] ?? "null"}'}} does not exist within the repository with name '{repo.Name}' in the registry with id '{c.Account}'");
        return Paginate(i, Select(repo, i).Select(x => (JsonNode?)new JsonObject
        {
            ["registryId"] = c.Account,
            ["repositoryName"] = repo.Name,
            ["imageDigest"] = x.Digest,
            ["imageTags"] = new JsonArray(x.Tags.Select(t => (JsonNode?)t).ToArray()),
            ["imageSizeInBytes"] = SizeOf(x),
            ["imagePushedAt"] = x.Pushed.ToString("O"),
            ["imageManifestMediaType"] = x.MediaType,
        }), "imageDetails", "nextToken", "maxResults", 100);
    });

    JsonNode? BatchGetImage(JsonObject i, RequestContext c) => Read(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        return new JsonObject
        {
            ["images"] = new JsonArray(Select(repo, i).Select(x => (JsonNode?)ImageObject(repo, x, c)).ToArray()),
            ["failures"] = NotFoundFailures(repo, i),
        };
    });

    JsonNode? BatchDeleteImage(JsonObject i, RequestContext c) => Write(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        var before = repo.Images.Select(x => new EcrImage { Digest = x.Digest, Tags = [.. x.Tags] }).ToList();
        var deleted = new JsonArray();
        foreach (var id in (i["imageIds"] as JsonArray) ?? [])
        {
            var tag = (string?)id!["imageTag"];
            var digest = (string?)id["imageDigest"];
            var image = repo.Images.FirstOrDefault(x => (digest != null && x.Digest == digest) || (tag != null && x.Tags.Contains(tag)));
            if (image == null) continue; // reported in failures below
            if (tag != null && digest == null && image.Tags.Count > 1) image.Tags.Remove(tag);
            else repo.Images.Remove(image);
            deleted.Add(new JsonObject { ["imageDigest"] = image.Digest, ["imageTag"] = tag });
        }
        return new JsonObject { ["imageIds"] = deleted, ["failures"] = NotFoundFailures(repo, i, before) };
    });

    /// <summary>The imageIds that name no image of the repository.</summary>
    static IEnumerable<JsonNode> Missing(EcrRepository repo, JsonObject i, IReadOnlyList<EcrImage>? images = null) =>
        ((i["imageIds"] as JsonArray) ?? []).Where(id => !(images ?? repo.Images).Any(x =>
            (string?)id!["imageDigest"] == x.Digest || ((string?)id["imageTag"] is { } t && x.Tags.Contains(t))))!;

    /// <summary>ImageNotFound failures, as the batch operations report them per image id.</summary>
    static JsonArray NotFoundFailures(EcrRepository repo, JsonObject i, IReadOnlyList<EcrImage>? images = null) =>
        new(Missing(repo, i, images).Select(id => (JsonNode?)new JsonObject
        {
            ["imageId"] = id.DeepClone(),
            ["failureCode"] = "ImageNotFound",
            ["failureReason"] = "Requested image not found",
        }).ToArray());

    /// <summary>The images named by imageIds (by digest or tag), or all of them when none are named.</summary>
    static IEnumerable<EcrImage> Select(EcrRepository repo, JsonObject i)
    {
        if (i["imageIds"] is not JsonArray { Count: > 0 } ids) return repo.Images;
        return repo.Images.Where(x => ids.Any(id => (string?)id!["imageDigest"] == x.Digest || ((string?)id["imageTag"] is { } t && x.Tags.Contains(t))));
    }

    static JsonObject ImageObject(EcrRepository repo, EcrImage x, RequestContext c) => new()
    {
        ["registryId"] = c.Account,
        ["repositoryName"] = repo.Name,
        ["imageManifest"] = x.Manifest,
        ["imageManifestMediaType"] = x.MediaType,
        ["imageId"] = new JsonObject { ["imageDigest"] = x.Digest, ["imageTag"] = x.Tags.FirstOrDefault() },
    };
}
