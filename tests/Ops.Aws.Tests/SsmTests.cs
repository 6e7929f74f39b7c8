using Ops.Aws.Ssm;

namespace Ops.Aws.Tests;

/// <summary>SSM Parameter Store (awsJson 1.1): secrets by name and by path, over pages.</summary>
public abstract class SsmTests(ITestCloud moto)
{
    readonly SsmClient _ssm = new(moto.Connection);

    [Fact]
    public async Task Parameters_round_trip_and_by_path_pages()
    {
        var root = "/" + MotoServer.Unique("iotilecloud");
        string[] names = ["SecretKey", "JwtSecretKey", "RdsPassword", "GoogleApiKey", "SentryDns"];
        foreach (var n in names)
            await _ssm.PutParameterAsync(new PutParameterRequest { Name = $"{root}/dev/{n}", Value = $"v-{n}", Type = "SecureString" });
        await AwsAssert.ErrorCode("ParameterAlreadyExists", () => _ssm.PutParameterAsync(new PutParameterRequest { Name = $"{root}/dev/SecretKey", Value = "x", Type = "SecureString" }));
        var updated = await _ssm.PutParameterAsync(new PutParameterRequest { Name = $"{root}/dev/SecretKey", Value = "v2", Type = "SecureString", Overwrite = true });
        Assert.Equal(2, updated.Version);

        var one = await _ssm.GetParameterAsync(new GetParameterRequest { Name = $"{root}/dev/SecretKey", WithDecryption = true });
        Assert.Equal("v2", one.Parameter!.Value);
        Assert.True(one.Parameter.LastModifiedDate > DateTimeOffset.UtcNow.AddMinutes(-5));
        var some = await _ssm.GetParametersAsync(new GetParametersRequest { Names = [$"{root}/dev/RdsPassword", $"{root}/dev/Nope"], WithDecryption = true });
        Assert.Equal("v-RdsPassword", Assert.Single(some.Parameters!).Value);
        Assert.Equal($"{root}/dev/Nope", Assert.Single(some.InvalidParameters!));

        var pages = await _ssm.GetParametersByPathPagesAsync(new GetParametersByPathRequest { Path = $"{root}/dev", WithDecryption = true, MaxResults = 2 }).ToListAsync();
        Assert.Equal(3, pages.Count);
        Assert.Equal(names.Order(), pages.SelectMany(p => p.Parameters!).Select(p => p.Name!.Split('/')[^1]).Order());

        var described = await _ssm.DescribeParametersItemsAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Name", Option = "BeginsWith", Values = [root] }],
        }).ToListAsync();
        Assert.Equal(5, described.Count);
        await _ssm.AddTagsToResourceAsync(new AddTagsToResourceRequest { ResourceType = "Parameter", ResourceId = $"{root}/dev/SecretKey", Tags = [new Tag { Key = "Stage", Value = "dev" }] });

        await _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = $"{root}/dev/SecretKey" });
        var many = await _ssm.DeleteParametersAsync(new DeleteParametersRequest { Names = [$"{root}/dev/JwtSecretKey", $"{root}/dev/Gone"] });
        Assert.Single(many.InvalidParameters!);
        await AwsAssert.ErrorCode("ParameterNotFound", () => _ssm.GetParameterAsync(new GetParameterRequest { Name = $"{root}/dev/SecretKey" }));
    }
}

[Collection(MotoCollection.Name)]
public sealed class SsmTestsOnMoto(MotoServer cloud) : SsmTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class SsmTestsOnLocalCloud(LocalCloudTestServer cloud) : SsmTests(cloud);
