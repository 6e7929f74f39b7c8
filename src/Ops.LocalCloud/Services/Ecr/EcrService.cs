using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ops.LocalCloud.Registry;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Ecr;

/// <summary>ECR: repositories, images (by manifest), lifecycle policies, tags and authorization tokens.</summary>
internal sealed partial class EcrService : ServiceHandler<EcrState>
{
    readonly IRegistryBackend? _registry;
    readonly RegistryClient? _contents;
    public override string Name => "ecr";

    /// <param name="registry">Where repository URIs point; when it is the local cloud's docker-registry, images are read from and written to it.</param>
    public EcrService(StateStore store, IRegistryBackend? registry = null) : base(store)
    {
        _registry = registry;
        _contents = (registry as DockerRegistryProcess)?.Client;
        On("CreateRepository", CreateRepository);
        On("DescribeRepositories", DescribeRepositories);
        On("DeleteRepository", DeleteRepository);
        On("PutImage", PutImage);
        On("ListImages", ListImages);
        On("DescribeImages", DescribeImages);
        On("BatchGetImage", BatchGetImage);
        On("BatchDeleteImage", BatchDeleteImage);
        On("GetAuthorizationToken", GetAuthorizationToken);
        On("PutLifecyclePolicy", PutLifecyclePolicy);
        On("GetLifecyclePolicy", GetLifecyclePolicy);
        On("DeleteLifecyclePolicy", DeleteLifecyclePolicy);
        On("TagResource", TagResource);
        On("ListTagsForResource", ListTagsForResource);
        On("PutImageTagMutability", PutImageTagMutability);
        On("PutImageScanningConfiguration", PutImageScanningConfiguration);
        if (_contents != null) ServeFromRegistry();
    }

    /// <summary>A token in ECR's form (base64 of <c>AWS:password</c>); the local registry takes any credentials, or none.</summary>
    JsonNode? GetAuthorizationToken(JsonObject i, RequestContext c) => new JsonObject
    {
        ["authorizationData"] = new JsonArray(new JsonObject
        {
            ["authorizationToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)))),
            ["expiresAt"] = c.Now.AddHours(12).ToString("O"),
            ["proxyEndpoint"] = _contents != null ? _contents.BaseUrl.GetLeftPart(UriPartial.Authority) : $"https://{c.Account}.dkr.ecr.{c.Region}.amazonaws.com",
        }),
    };
}
