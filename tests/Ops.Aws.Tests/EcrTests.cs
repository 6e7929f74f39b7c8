using Ops.Aws.Ecr;

namespace Ops.Aws.Tests;

public abstract class EcrTests(ITestCloud moto)
{
    readonly EcrClient _ecr = new(moto.Connection);

    [Fact]
    public async Task Repositories_images_lifecycle_and_auth_round_trip()
    {
        var name = MotoServer.Unique("iotile-cloud-server");
        var repo = (await _ecr.CreateRepositoryAsync(new CreateRepositoryRequest
        {
            RepositoryName = name,
            ImageScanningConfiguration = new ImageScanningConfiguration { ScanOnPush = true },
            EncryptionConfiguration = new EncryptionConfiguration { EncryptionType = "AES256" },
        })).Repository!;
        Assert.EndsWith($"/{name}", repo.RepositoryUri);
        await AwsAssert.ErrorCode("RepositoryAlreadyExistsException", () => _ecr.CreateRepositoryAsync(new CreateRepositoryRequest { RepositoryName = name }));
        Assert.Contains(await _ecr.DescribeRepositoriesItemsAsync(new DescribeRepositoriesRequest()).ToListAsync(), r => r.RepositoryName == name);

        var manifest = """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[]}""";
        await _ecr.PutImageAsync(new PutImageRequest { RepositoryName = name, ImageManifest = manifest, ImageTag = "latest" });
        var images = await _ecr.ListImagesItemsAsync(new ListImagesRequest { RepositoryName = name }).ToListAsync();
        Assert.Equal("latest", Assert.Single(images).ImageTag);
        var described = await _ecr.DescribeImagesAsync(new DescribeImagesRequest { RepositoryName = name });
        Assert.Contains("latest", described.ImageDetails![0].ImageTags!);
        var got = await _ecr.BatchGetImageAsync(new BatchGetImageRequest { RepositoryName = name, ImageIds = [new ImageIdentifier { ImageTag = "latest" }] });
        Assert.Equal(manifest, got.Images![0].ImageManifest);

        var policy = """{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}""";
        await _ecr.PutLifecyclePolicyAsync(new PutLifecyclePolicyRequest { RepositoryName = name, LifecyclePolicyText = policy });
        Assert.Contains("imageCountMoreThan", (await _ecr.GetLifecyclePolicyAsync(new GetLifecyclePolicyRequest { RepositoryName = name })).LifecyclePolicyText);
        await _ecr.DeleteLifecyclePolicyAsync(new DeleteLifecyclePolicyRequest { RepositoryName = name });
        await AwsAssert.ErrorCode("LifecyclePolicyNotFoundException", () => _ecr.GetLifecyclePolicyAsync(new GetLifecyclePolicyRequest { RepositoryName = name }));

        var immutable = await _ecr.PutImageTagMutabilityAsync(new PutImageTagMutabilityRequest { RepositoryName = name, ImageTagMutability = "IMMUTABLE" });
        Assert.Equal("IMMUTABLE", immutable.ImageTagMutability);
        var scanning = await _ecr.PutImageScanningConfigurationAsync(new PutImageScanningConfigurationRequest
        {
            RepositoryName = name,
            ImageScanningConfiguration = new ImageScanningConfiguration { ScanOnPush = false },
        });
        Assert.False(scanning.ImageScanningConfiguration!.ScanOnPush);
        var settings = (await _ecr.DescribeRepositoriesAsync(new DescribeRepositoriesRequest { RepositoryNames = [name] })).Repositories![0];
        Assert.Equal(("IMMUTABLE", false), (settings.ImageTagMutability, settings.ImageScanningConfiguration!.ScanOnPush));

        await _ecr.TagResourceAsync(new TagResourceRequest { ResourceArn = repo.RepositoryArn, Tags = [new Tag { Key = "Stage", Value = "dev" }] });
        Assert.Contains((await _ecr.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceArn = repo.RepositoryArn })).Tags!, t => t.Key == "Stage");

        var token = (await _ecr.GetAuthorizationTokenAsync()).AuthorizationData![0];
        Assert.StartsWith("AWS:", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token.AuthorizationToken!)));

        await _ecr.BatchDeleteImageAsync(new BatchDeleteImageRequest { RepositoryName = name, ImageIds = [new ImageIdentifier { ImageTag = "latest" }] });
        await _ecr.DeleteRepositoryAsync(new DeleteRepositoryRequest { RepositoryName = name, Force = true });
        await AwsAssert.ErrorCode("RepositoryNotFoundException", () => _ecr.DescribeRepositoriesAsync(new DescribeRepositoriesRequest { RepositoryNames = [name] }));
    }
}

[Collection(MotoCollection.Name)]
public sealed class EcrTestsOnMoto(MotoServer cloud) : EcrTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class EcrTestsOnLocalCloud(LocalCloudTestServer cloud) : EcrTests(cloud);
