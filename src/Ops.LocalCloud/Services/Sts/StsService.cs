using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sts;

/// <summary>STS: who the caller is (the account id goes into ECR and queue URLs).</summary>
internal sealed class StsService : ServiceHandler
{
    public override string Name => "sts";

    public StsService() => On("GetCallerIdentity", GetCallerIdentity);

    static JsonNode? GetCallerIdentity(JsonObject i, RequestContext c) => new JsonObject
    {
        ["Account"] = c.Account, ["UserId"] = "AIDALOCALCLOUD", ["Arn"] = $"arn:aws:iam::{c.Account}:user/local-cloud",
    };
}
