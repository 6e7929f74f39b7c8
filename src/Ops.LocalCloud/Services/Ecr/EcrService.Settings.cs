using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Ecr;

internal sealed partial class EcrService
{
    JsonNode? PutImageTagMutability(JsonObject i, RequestContext c) => Write(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        var mutability = Required(i, "imageTagMutability");
        if (mutability is not ("MUTABLE" or "IMMUTABLE"))
            throw new AwsError("InvalidParameterException", $"Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE]'");
        repo.Settings["imageTagMutability"] = mutability;
        return new JsonObject { ["registryId"] = c.Account, ["repositoryName"] = repo.Name, ["imageTagMutability"] = mutability };
    });

    JsonNode? PutImageScanningConfiguration(JsonObject i, RequestContext c) => Write(() =>
    {
        var repo = Find(Required(i, "repositoryName"));
        var scanOnPush = i["imageScanningConfiguration"]?["scanOnPush"]?.GetValue<bool>() ?? false;
        repo.Settings["imageScanningConfiguration"] = new JsonObject { ["scanOnPush"] = scanOnPush };
        return new JsonObject
        {
            ["registryId"] = c.Account,
            ["repositoryName"] = repo.Name,
            ["imageScanningConfiguration"] = new JsonObject { ["scanOnPush"] = scanOnPush },
        };
    });
}
