using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ops.LocalCloud.Services.Ecr;

internal sealed partial class EcrService
{
    static AwsError NoRepository(string name) => new("RepositoryNotFoundException", $"The repository with name '{name}' does not exist in the registry.");

    JsonNode? CreateRepository(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = RepositoryName(Required(i, "repositoryName"));
        if (State.Repositories.ContainsKey(name)) throw new AwsError("RepositoryAlreadyExistsException", $"The repository with name '{name}' already exists in the registry.");
        var repo = new EcrRepository { Name = name, Created = c.Now, Settings = i.DeepClone().AsObject() };
        MergeTags(repo.Tags, i["tags"]);
        State.Repositories[name] = repo;
        return new JsonObject { ["repository"] = Describe(repo, c) };
    });

    JsonNode? DescribeRepositories(JsonObject i, RequestContext c) => Read(() =>
    {
        var names = Strings(i, "repositoryNames").ToList();
        foreach (var n in names) Find(n);
        return Paginate(i, State.Repositories.Values.Where(r => names.Count == 0 || names.Contains(r.Name)).Select(r => (JsonNode?)Describe(r, c)), "repositories", "nextToken", "maxResults",
            100);
    });

    JsonNode? DeleteRepository(JsonObject i, RequestContext c) => Write(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        if (repo.Images.Count > 0 && !Flag(i, "force"))
            throw new AwsError("RepositoryNotEmptyException", $"The repository with name '{repo.Name}' cannot be deleted because it still contains images");
        State.Repositories.Remove(repo.Name);
        return new JsonObject { ["repository"] = Describe(repo, c) };
    });

    JsonNode? TagResource(JsonObject i, RequestContext c) => Write(() =>
    {
        MergeTags(Find(Required(i, "resourceArn").Split('/')[^1]).Tags, i["tags"]);
        return new JsonObject();
    });

    JsonNode? ListTagsForResource(JsonObject i, RequestContext c) => Read(() =>
    {
        var repo = Find(Required(i, "resourceArn").Split('/')[^1]);
        return new JsonObject { ["tags"] = new JsonArray(repo.Tags.Select(t => (JsonNode?)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray()) };
    });

    JsonObject Describe(EcrRepository r, RequestContext c) => new()
    {
        ["repositoryArn"] = c.Arn("ecr", $"repository/{r.Name}"),
        ["registryId"] = c.Account,
        ["repositoryName"] = r.Name,
        ["repositoryUri"] = _registry?.RepositoryUri(c.Account, c.Region, r.Name) ?? $"{c.Account}.dkr.ecr.{c.Region}.amazonaws.com/{r.Name}",
        ["createdAt"] = r.Created.ToString("O"),
        ["imageTagMutability"] = (string?)r.Settings["imageTagMutability"] ?? "MUTABLE",
        ["imageScanningConfiguration"] = r.Settings["imageScanningConfiguration"]?.DeepClone() ?? new JsonObject { ["scanOnPush"] = false },
        ["encryptionConfiguration"] = r.Settings["encryptionConfiguration"]?.DeepClone() ?? new JsonObject { ["encryptionType"] = "AES256" },
    };

    /// <summary>ECR's rule for repository names: 2–256 characters of lower-case path components (InvalidParameterException otherwise).</summary>
    static string RepositoryName(string name) =>
        name.Length is >= 2 and <= 256 && RepositoryNamePattern().IsMatch(name) ? name : throw new AwsError("InvalidParameterException",
            $"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '{NamePattern}'' and have a length between 2 and 256: '{name}'");

    const string NamePattern = "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";

    [GeneratedRegex(@"\A" + NamePattern + @"\z")]
    private static partial Regex RepositoryNamePattern();

    EcrRepository Find(string name) => State.Repositories.TryGetValue(name, out var r) ? r : throw NoRepository(name);
}
