using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecr;

internal sealed partial class EcrService
{
    static AwsError NoPolicy(EcrRepository repo) =>
        new("LifecyclePolicyNotFoundException", $"Lifecycle policy does not exist for the repository with name '{repo.Name}'");

    JsonNode? PutLifecyclePolicy(JsonObject i, RequestContext c) => Write(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        repo.LifecyclePolicy = Required(i, "lifecyclePolicyText");
        return new JsonObject { ["registryId"] = c.Account, ["repositoryName"] = repo.Name, ["lifecyclePolicyText"] = repo.LifecyclePolicy };
    });

    JsonNode? GetLifecyclePolicy(JsonObject i, RequestContext c) => Read(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        if (repo.LifecyclePolicy == null) throw NoPolicy(repo);
        return new JsonObject { ["registryId"] = c.Account, ["repositoryName"] = repo.Name, ["lifecyclePolicyText"] = repo.LifecyclePolicy, ["lastEvaluatedAt"] = c.Now.ToString("O") };
    });

    JsonNode? DeleteLifecyclePolicy(JsonObject i, RequestContext c) => Write(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        var policy = repo.LifecyclePolicy ?? throw NoPolicy(repo);
        repo.LifecyclePolicy = null;
        return new JsonObject { ["registryId"] = c.Account, ["repositoryName"] = repo.Name, ["lifecyclePolicyText"] = policy };
    });
}
