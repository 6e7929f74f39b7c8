using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>ECR: repositories, images (by manifest), lifecycle policies, tags and authorization tokens.</summary>
internal sealed class EcrService : ServiceHandler<EcrService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Repository> Repositories { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed class Repository
    {
        public string Name { get; set; } = "";
        public DateTimeOffset Created { get; set; }
        public JsonObject Settings { get; set; } = new();
        public string? LifecyclePolicy { get; set; }
        public Dictionary<string, string> Tags { get; set; } = new();
        public List<Image> Images { get; set; } = [];
    }

    public sealed class Image
    {
        public string Digest { get; set; } = "";
        public string Manifest { get; set; } = "";
        public string MediaType { get; set; } = "";
        public List<string> Tags { get; set; } = [];
        public DateTimeOffset Pushed { get; set; }
    }

    readonly IRegistryBackend? _registry;
    public override string Name => "ecr";

    static AwsError NoRepository(string name) => new("RepositoryNotFoundException", $"The repository with name '{name}' does not exist in the registry.");

    public EcrService(StateStore store, IRegistryBackend? registry = null) : base(store)
    {
        _registry = registry;
        On("CreateRepository", (i, c) => Write(() =>
        {
            var name = Required(i, "repositoryName");
            if (State.Repositories.ContainsKey(name)) throw new AwsError("RepositoryAlreadyExistsException", $"The repository with name '{name}' already exists in the registry.");
            var repo = new Repository { Name = name, Created = c.Now, Settings = i.DeepClone().AsObject() };
            MergeTags(repo.Tags, i["tags"]);
            State.Repositories[name] = repo;
            return new JsonObject { ["repository"] = Describe(repo, c) };
        }));
        On("DescribeRepositories", (i, c) => Read(() =>
        {
            var names = Strings(i, "repositoryNames").ToList();
            foreach (var n in names) Find(n);
            return Paginate(i, State.Repositories.Values.Where(r => names.Count == 0 || names.Contains(r.Name)).Select(r => (JsonNode?)Describe(r, c)), "repositories", "nextToken", "maxResults", 100);
        }));
        On("DeleteRepository", (i, c) => Write(() =>
        {
            var repo = Find(Required(i, "repositoryName"));
            if (repo.Images.Count > 0 && !Flag(i, "force"))
                throw new AwsError("RepositoryNotEmptyException", $"The repository with name '{repo.Name}' cannot be deleted because it still contains images");
            State.Repositories.Remove(repo.Name);
            return new JsonObject { ["repository"] = Describe(repo, c) };
        }));
        On("PutImage", (i, c) => Write(() =>
        {
            var repo = Find(Required(i, "repositoryName"));
            var manifest = Required(i, "imageManifest");
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest)));
            var tag = Optional(i, "imageTag");
            if (tag != null && repo.Settings["imageTagMutability"]?.ToString() == "IMMUTABLE" && repo.Images.Any(x => x.Tags.Contains(tag) && x.Digest != digest))
                throw new AwsError("ImageTagAlreadyExistsException", $"The image tag '{tag}' already exists in the '{repo.Name}' repository and cannot be overwritten because the repository is immutable.");
            if (tag != null) foreach (var other in repo.Images) other.Tags.Remove(tag);
            var image = repo.Images.FirstOrDefault(x => x.Digest == digest);
            if (image == null) repo.Images.Add(image = new Image { Digest = digest, Manifest = manifest, MediaType = Optional(i, "imageManifestMediaType") ?? "application/vnd.docker.distribution.manifest.v2+json", Pushed = c.Now });
            if (tag != null && !image.Tags.Contains(tag)) image.Tags.Add(tag);
            return new JsonObject { ["image"] = ImageObject(repo, image, c) };
        }));
        On("ListImages", (i, _) => Read(() =>
        {
            var repo = Find(Required(i, "repositoryName"));
            var ids = repo.Images.SelectMany(x => x.Tags.Count == 0
                ? [(JsonNode?)new JsonObject { ["imageDigest"] = x.Digest }]
                : x.Tags.Select(t => (JsonNode?)new JsonObject { ["imageDigest"] = x.Digest, ["imageTag"] = t }));
            return Paginate(i, ids, "imageIds", "nextToken", "maxResults", 100);
        }));
        On("DescribeImages", (i, c) => Read(() =>
        {
            var repo = Find(Required(i, "repositoryName"));
            return Paginate(i, Select(repo, i).Select(x => (JsonNode?)new JsonObject
            {
                ["registryId"] = c.Account, ["repositoryName"] = repo.Name, ["imageDigest"] = x.Digest,
                ["imageTags"] = new JsonArray(x.Tags.Select(t => (JsonNode?)t).ToArray()), ["imageSizeInBytes"] = x.Manifest.Length,
                ["imagePushedAt"] = x.Pushed.ToString("O"), ["imageManifestMediaType"] = x.MediaType,
            }), "imageDetails", "nextToken", "maxResults", 100);
        }));
        On("BatchGetImage", (i, c) => Read(() =>
        {
            var repo = Find(Required(i, "repositoryName"));
            return new JsonObject { ["images"] = new JsonArray(Select(repo, i).Select(x => (JsonNode?)ImageObject(repo, x, c)).ToArray()), ["failures"] = new JsonArray() };
        }));
        On("BatchDeleteImage", (i, _) => Write(() =>
        {
            var repo = Find(Required(i, "repositoryName"));
            var deleted = new JsonArray();
            foreach (var id in (i["imageIds"] as JsonArray) ?? [])
            {
                var tag = (string?)id!["imageTag"];
                var digest = (string?)id["imageDigest"];
                var image = repo.Images.FirstOrDefault(x => (digest != null && x.Digest == digest) || (tag != null && x.Tags.Contains(tag)));
                if (image == null) continue;
                if (tag != null && digest == null && image.Tags.Count > 1) image.Tags.Remove(tag);
                else repo.Images.Remove(image);
                deleted.Add(new JsonObject { ["imageDigest"] = image.Digest, ["imageTag"] = tag });
            }
            return new JsonObject { ["imageIds"] = deleted, ["failures"] = new JsonArray() };
        }));
        On("GetAuthorizationToken", (_, c) => new JsonObject
        {
            ["authorizationData"] = new JsonArray(new JsonObject
            {
                ["authorizationToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)))),
                ["expiresAt"] = c.Now.AddHours(12).ToString("O"),
                ["proxyEndpoint"] = $"https://{c.Account}.dkr.ecr.{c.Region}.amazonaws.com",
            }),
        });
        On("PutLifecyclePolicy", (i, c) => Write(() =>
        {
            var repo = Find(Required(i, "repositoryName"));
            repo.LifecyclePolicy = Required(i, "lifecyclePolicyText");
            return new JsonObject { ["registryId"] = c.Account, ["repositoryName"] = repo.Name, ["lifecyclePolicyText"] = repo.LifecyclePolicy };
        }));
        On("GetLifecyclePolicy", (i, c) => Read(() =>
        {
            var repo = Find(Required(i, "repositoryName"));
            if (repo.LifecyclePolicy == null)
                throw new AwsError("LifecyclePolicyNotFoundException", $"Lifecycle policy does not exist for the repository with name '{repo.Name}'");
            return new JsonObject { ["registryId"] = c.Account, ["repositoryName"] = repo.Name, ["lifecyclePolicyText"] = repo.LifecyclePolicy, ["lastEvaluatedAt"] = c.Now.ToString("O") };
        }));
        On("DeleteLifecyclePolicy", (i, c) => Write(() =>
        {
            var repo = Find(Required(i, "repositoryName"));
            var policy = repo.LifecyclePolicy ?? throw new AwsError("LifecyclePolicyNotFoundException", $"Lifecycle policy does not exist for the repository with name '{repo.Name}'");
            repo.LifecyclePolicy = null;
            return new JsonObject { ["registryId"] = c.Account, ["repositoryName"] = repo.Name, ["lifecyclePolicyText"] = policy };
        }));
        On("TagResource", (i, _) => Write(() =>
        {
            MergeTags(Find(Required(i, "resourceArn").Split('/')[^1]).Tags, i["tags"]);
            return new JsonObject();
        }));
        On("ListTagsForResource", (i, _) => Read(() =>
        {
            var repo = Find(Required(i, "resourceArn").Split('/')[^1]);
            return new JsonObject { ["tags"] = new JsonArray(repo.Tags.Select(t => (JsonNode?)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray()) };
        }));
    }

    static IEnumerable<Image> Select(Repository repo, JsonObject i)
    {
        if (i["imageIds"] is not JsonArray { Count: > 0 } ids) return repo.Images;
        return repo.Images.Where(x => ids.Any(id => (string?)id!["imageDigest"] == x.Digest || ((string?)id["imageTag"] is { } t && x.Tags.Contains(t))));
    }

    static JsonObject ImageObject(Repository repo, Image x, RequestContext c) => new()
    {
        ["registryId"] = c.Account, ["repositoryName"] = repo.Name, ["imageManifest"] = x.Manifest, ["imageManifestMediaType"] = x.MediaType,
        ["imageId"] = new JsonObject { ["imageDigest"] = x.Digest, ["imageTag"] = x.Tags.FirstOrDefault() },
    };

    JsonObject Describe(Repository r, RequestContext c) => new()
    {
        ["repositoryArn"] = c.Arn("ecr", $"repository/{r.Name}"), ["registryId"] = c.Account, ["repositoryName"] = r.Name,
        ["repositoryUri"] = _registry?.RepositoryUri(c.Account, c.Region, r.Name) ?? $"{c.Account}.dkr.ecr.{c.Region}.amazonaws.com/{r.Name}",
        ["createdAt"] = r.Created.ToString("O"),
        ["imageTagMutability"] = (string?)r.Settings["imageTagMutability"] ?? "MUTABLE",
        ["imageScanningConfiguration"] = r.Settings["imageScanningConfiguration"]?.DeepClone() ?? new JsonObject { ["scanOnPush"] = false },
        ["encryptionConfiguration"] = r.Settings["encryptionConfiguration"]?.DeepClone() ?? new JsonObject { ["encryptionType"] = "AES256" },
    };

    Repository Find(string name) => State.Repositories.TryGetValue(name, out var r) ? r : throw NoRepository(name);


}
