using System.Security.Cryptography;
using System.Text;

namespace Ops.LocalCloud.Tests.Conformance;

/// <summary>The ECR rows: repositories, images by manifest, lifecycle policies, tags and the registry login token.</summary>
public static partial class ConformanceTable
{
    const string EcrArn = "arn:aws:ecr:us-east-1:123456789012:repository/";

    const string EcrManifest =
        """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1469,"digest":"sha256:9a0364b9e99bb480dd25e1f0284c8555da7f5dc80e4b2a8cc5b2cf1c03d1d8c7"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":2814446,"digest":"sha256:59bf1c3509f33515622619af21ed55bbe26d24913cedbca106468a5fb37a50c3"}]}""";

    const string EcrPolicy = """{"rules":[{"rulePriority":1,"description":"keep 10","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}""";

    static readonly string EcrDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(EcrManifest)));

    static Task EcrRepository(ConformanceContext x) => x.Aws("ecr", "create-repository", "--repository-name", x.Name, "--tags", "Key=team,Value=iot");

    static async Task EcrRepositoryWithImage(ConformanceContext x)
    {
        await EcrRepository(x);
        await x.Aws("ecr", "put-image", "--repository-name", x.Name, "--image-tag", "v1", "--image-manifest", EcrManifest);
    }

    static async Task EcrRepositoryWithPolicy(ConformanceContext x)
    {
        await EcrRepository(x);
        await x.Aws("ecr", "put-lifecycle-policy", "--repository-name", x.Name, "--lifecycle-policy-text", EcrPolicy);
    }

    static string[] EcrPutImageArgs(ConformanceContext x) => ["ecr", "put-image", "--repository-name", x.Name, "--image-tag", "v1", "--image-manifest", EcrManifest];

    static ConformanceRow[] Ecr =>
    [
        // ---------------- repositories ----------------
        Row("ecr", "CreateRepository", x => ["ecr", "create-repository", "--repository-name", x.Name, "--image-tag-mutability", "IMMUTABLE"], (x, r) =>
        {
            var repo = r!["repository"]!;
            Assert.Equal((x.Name, EcrArn + x.Name, "123456789012", $"123456789012.dkr.ecr.us-east-1.amazonaws.com/{x.Name}", "IMMUTABLE"),
                ((string?)repo["repositoryName"], (string?)repo["repositoryArn"], (string?)repo["registryId"], (string?)repo["repositoryUri"], (string?)repo["imageTagMutability"]));
            return Done;
        }),
        Error("ecr", "CreateRepository", x => ["ecr", "create-repository", "--repository-name", x.Name], "RepositoryAlreadyExistsException", EcrRepository),
        Row("ecr", "DescribeRepositories", x => ["ecr", "describe-repositories", "--repository-names", x.Name], (x, r) =>
        {
            var repo = r!["repositories"]!.AsArray().Single()!;
            Assert.Equal((x.Name, EcrArn + x.Name, $"123456789012.dkr.ecr.us-east-1.amazonaws.com/{x.Name}", "MUTABLE"),
                ((string?)repo["repositoryName"], (string?)repo["repositoryArn"], (string?)repo["repositoryUri"], (string?)repo["imageTagMutability"]));
            return Done;
        }, EcrRepository),
        Error("ecr", "DescribeRepositories", x => ["ecr", "describe-repositories", "--repository-names", x.Name], "RepositoryNotFoundException"),
        Row("ecr", "PutImageTagMutability", x => ["ecr", "put-image-tag-mutability", "--repository-name", x.Name, "--image-tag-mutability", "IMMUTABLE"], async (x, r) =>
        {
            Assert.Equal((x.Name, "IMMUTABLE"), ((string?)r!["repositoryName"], (string?)r["imageTagMutability"]));
            var repo = (await x.Aws("ecr", "describe-repositories", "--repository-names", x.Name))!["repositories"]![0]!;
            Assert.Equal("IMMUTABLE", (string?)repo["imageTagMutability"]);
        }, EcrRepository),
        Error("ecr", "PutImageTagMutability", x => ["ecr", "put-image-tag-mutability", "--repository-name", x.Name, "--image-tag-mutability", "IMMUTABLE"], "RepositoryNotFoundException"),
        Row("ecr", "PutImageScanningConfiguration", x => ["ecr", "put-image-scanning-configuration", "--repository-name", x.Name, "--image-scanning-configuration", "scanOnPush=true"], async (x, r) =>
        {
            Assert.Equal((x.Name, true), ((string?)r!["repositoryName"], (bool?)r["imageScanningConfiguration"]!["scanOnPush"]));
            var repo = (await x.Aws("ecr", "describe-repositories", "--repository-names", x.Name))!["repositories"]![0]!;
            Assert.True((bool?)repo["imageScanningConfiguration"]!["scanOnPush"]);
        }, EcrRepository),
        Error("ecr", "PutImageScanningConfiguration", x => ["ecr", "put-image-scanning-configuration", "--repository-name", x.Name, "--image-scanning-configuration", "scanOnPush=true"], "RepositoryNotFoundException"),
        Row("ecr", "DeleteRepository", x => ["ecr", "delete-repository", "--repository-name", x.Name, "--force"], async (x, r) =>
        {
            Assert.Equal((x.Name, EcrArn + x.Name), ((string?)r!["repository"]!["repositoryName"], (string?)r["repository"]!["repositoryArn"]));
            var left = (await x.Aws("ecr", "describe-repositories"))!["repositories"]!.AsArray();
            Assert.DoesNotContain(x.Name, left.Select(repo => (string?)repo!["repositoryName"]));
        }, EcrRepositoryWithImage),
        Error("ecr", "DeleteRepository", x => ["ecr", "delete-repository", "--repository-name", x.Name], "RepositoryNotFoundException"),
        Error("ecr", "DeleteRepository", x => ["ecr", "delete-repository", "--repository-name", x.Name], "RepositoryNotEmptyException", EcrRepositoryWithImage),

        // ---------------- images ----------------
        Row("ecr", "PutImage", EcrPutImageArgs, (x, r) =>
        {
            var image = r!["image"]!;
            Assert.Equal((x.Name, "123456789012", EcrDigest, "v1", EcrManifest),
                ((string?)image["repositoryName"], (string?)image["registryId"], (string?)image["imageId"]!["imageDigest"], (string?)image["imageId"]!["imageTag"], (string?)image["imageManifest"]));
            return Done;
        }, EcrRepository),
        Error("ecr", "PutImage", EcrPutImageArgs, "ImageAlreadyExistsException", EcrRepositoryWithImage),
        Error("ecr", "PutImage", x => ["ecr", "put-image", "--repository-name", x.Name, "--image-tag", "v1", "--image-manifest", EcrManifest.Replace("1469", "1470")],
            "ImageTagAlreadyExistsException", async x =>
            {
                await x.Aws("ecr", "create-repository", "--repository-name", x.Name, "--image-tag-mutability", "IMMUTABLE");
                await x.Aws(EcrPutImageArgs(x));
            }),
        Error("ecr", "PutImage", EcrPutImageArgs, "RepositoryNotFoundException"),
        Row("ecr", "ListImages", x => ["ecr", "list-images", "--repository-name", x.Name, "--no-paginate"], (_, r) =>
        {
            var id = r!["imageIds"]!.AsArray().Single()!;
            Assert.Equal((EcrDigest, "v1"), ((string?)id["imageDigest"], (string?)id["imageTag"]));
            return Done;
        }, EcrRepositoryWithImage),
        Row("ecr", "DescribeImages", x => ["ecr", "describe-images", "--repository-name", x.Name, "--image-ids", "imageTag=v1"], (x, r) =>
        {
            var d = r!["imageDetails"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "123456789012", EcrDigest, "application/vnd.docker.distribution.manifest.v2+json"),
                ((string?)d["repositoryName"], (string?)d["registryId"], (string?)d["imageDigest"], (string?)d["imageManifestMediaType"]));
            Assert.Equal(["v1"], AsStrings(d["imageTags"]));
            return Done;
        }, EcrRepositoryWithImage),
        Error("ecr", "DescribeImages", x => ["ecr", "describe-images", "--repository-name", x.Name, "--image-ids", "imageTag=nosuch"], "ImageNotFoundException", EcrRepositoryWithImage),
        Row("ecr", "BatchGetImage", x => ["ecr", "batch-get-image", "--repository-name", x.Name, "--image-ids", "imageTag=v1", "imageTag=nosuch"], (x, r) =>
        {
            var image = r!["images"]!.AsArray().Single()!;
            Assert.Equal((x.Name, EcrDigest, "v1", EcrManifest),
                ((string?)image["repositoryName"], (string?)image["imageId"]!["imageDigest"], (string?)image["imageId"]!["imageTag"], (string?)image["imageManifest"]));
            var failure = Assert.Single(r["failures"]!.AsArray())!;
            Assert.Equal(("nosuch", "ImageNotFound"), ((string?)failure["imageId"]!["imageTag"], (string?)failure["failureCode"]));
            return Done;
        }, EcrRepositoryWithImage),
        Row("ecr", "BatchDeleteImage", x => ["ecr", "batch-delete-image", "--repository-name", x.Name, "--image-ids", "imageTag=v1"], async (x, r) =>
        {
            var id = r!["imageIds"]!.AsArray().Single()!;
            Assert.Equal((EcrDigest, "v1"), ((string?)id["imageDigest"], (string?)id["imageTag"]));
            Assert.Empty(r["failures"]!.AsArray());
            Assert.Empty((await x.Aws("ecr", "list-images", "--repository-name", x.Name))!["imageIds"]!.AsArray());
        }, EcrRepositoryWithImage),

        // ---------------- login ----------------
        Row("ecr", "GetAuthorizationToken", _ => ["ecr", "get-authorization-token"], (_, r) =>
        {
            var data = r!["authorizationData"]!.AsArray().Single()!;
            var token = Encoding.UTF8.GetString(Convert.FromBase64String((string)data["authorizationToken"]!));
            Assert.StartsWith("AWS:", token);
            Assert.True(token.Length > 4, "The token has no password after 'AWS:'.");
            Assert.Equal("https://123456789012.dkr.ecr.us-east-1.amazonaws.com", (string?)data["proxyEndpoint"]);
            Assert.InRange(AwsTime(data["expiresAt"]), DateTimeOffset.UtcNow.AddHours(11), DateTimeOffset.UtcNow.AddHours(13));
            return Done;
        }),

        // ---------------- lifecycle policies ----------------
        Row("ecr", "PutLifecyclePolicy", x => ["ecr", "put-lifecycle-policy", "--repository-name", x.Name, "--lifecycle-policy-text", EcrPolicy], async (x, r) =>
        {
            Assert.Equal((x.Name, "123456789012", EcrPolicy), ((string?)r!["repositoryName"], (string?)r["registryId"], (string?)r["lifecyclePolicyText"]));
            Assert.Equal(EcrPolicy, (string?)(await x.Aws("ecr", "get-lifecycle-policy", "--repository-name", x.Name))!["lifecyclePolicyText"]);
        }, EcrRepository),
        Error("ecr", "PutLifecyclePolicy", x => ["ecr", "put-lifecycle-policy", "--repository-name", x.Name, "--lifecycle-policy-text", EcrPolicy], "RepositoryNotFoundException"),
        Row("ecr", "GetLifecyclePolicy", x => ["ecr", "get-lifecycle-policy", "--repository-name", x.Name], (x, r) =>
        {
            Assert.Equal((x.Name, "123456789012", EcrPolicy), ((string?)r!["repositoryName"], (string?)r["registryId"], (string?)r["lifecyclePolicyText"]));
            return Done;
        }, EcrRepositoryWithPolicy),
        Error("ecr", "GetLifecyclePolicy", x => ["ecr", "get-lifecycle-policy", "--repository-name", x.Name], "LifecyclePolicyNotFoundException", EcrRepository),
        Row("ecr", "DeleteLifecyclePolicy", x => ["ecr", "delete-lifecycle-policy", "--repository-name", x.Name], (x, r) =>
        {
            Assert.Equal((x.Name, EcrPolicy), ((string?)r!["repositoryName"], (string?)r["lifecyclePolicyText"]));
            return Done;
        }, EcrRepositoryWithPolicy),
        Error("ecr", "DeleteLifecyclePolicy", x => ["ecr", "delete-lifecycle-policy", "--repository-name", x.Name], "LifecyclePolicyNotFoundException", EcrRepository),

        // ---------------- tags ----------------
        Row("ecr", "TagResource", x => ["ecr", "tag-resource", "--resource-arn", EcrArn + x.Name, "--tags", "Key=stage,Value=dev"], async (x, _) =>
        {
            var tags = (await x.Aws("ecr", "list-tags-for-resource", "--resource-arn", EcrArn + x.Name))!["tags"]!.AsArray();
            Assert.Equal([("stage", "dev"), ("team", "iot")], tags.Select(t => ((string?)t!["Key"], (string?)t["Value"])).Order());
        }, EcrRepository),
        Row("ecr", "ListTagsForResource", x => ["ecr", "list-tags-for-resource", "--resource-arn", EcrArn + x.Name], (_, r) =>
        {
            Assert.Equal([("team", "iot")], r!["tags"]!.AsArray().Select(t => ((string?)t!["Key"], (string?)t["Value"])));
            return Done;
        }, EcrRepository),
        Error("ecr", "ListTagsForResource", x => ["ecr", "list-tags-for-resource", "--resource-arn", EcrArn + x.Name], "RepositoryNotFoundException"),
    ];
}
