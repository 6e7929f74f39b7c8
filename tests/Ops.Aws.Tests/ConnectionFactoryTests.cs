using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3.Model;

namespace Ops.Aws.Tests;

public abstract class ConnectionFactoryTests(ITestCloud moto)
{
    sealed class FakeLocalCloud(Uri url) : ILocalCloud
    {
        public int Calls;
        public Task<LocalCloudEndpoint> EnsureRunningAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new LocalCloudEndpoint(url, "local-key", "local-secret"));
        }
    }

    [Fact]
    public async Task An_endpoint_url_is_used_for_every_service_with_test_credentials_and_path_style_S3()
    {
        var factory = new AwsConnectionFactory(environment: new Dictionary<string, string>());
        var c = await factory.ConnectAsync(new AwsSettings(CloudKind.Local, moto.Endpoint, "us-east-1", null), default);
        Assert.Equal("test", (await c.Credentials.GetCredentialsAsync()).AccessKey);
        Assert.Equal(moto.Endpoint, c.EndpointUrl);

        using var s3 = AwsConnectionFactory.CreateS3(c);
        var bucket = MotoServer.Unique("iotile-statics");
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "static/app.js", ContentBody = "console.log(1)" });
        using (var get = await s3.GetObjectAsync(bucket, "static/app.js"))
            Assert.Equal("console.log(1)", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        Assert.Single((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "static/" })).S3Objects);

        using var ddb = AwsConnectionFactory.CreateDynamoDb(c);
        var table = MotoServer.Unique("iotile-worker-logs");
        await ddb.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = "PAY_PER_REQUEST",
            KeySchema = [new KeySchemaElement("uuid", "HASH")],
            AttributeDefinitions = [new AttributeDefinition("uuid", "S")],
        });
        await ddb.PutItemAsync(table, new() { ["uuid"] = new AttributeValue("w1"), ["status"] = new AttributeValue("ShutDown-0") });
        Assert.Equal("ShutDown-0", (await ddb.GetItemAsync(table, new() { ["uuid"] = new AttributeValue("w1") })).Item["status"].S);
    }

    [Fact]
    public async Task Environment_keys_are_used_with_an_endpoint_when_present()
    {
        var factory = new AwsConnectionFactory(environment: new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIAENV", ["AWS_SECRET_ACCESS_KEY"] = "s" });
        var c = await factory.ConnectAsync(new AwsSettings(CloudKind.Local, moto.Endpoint, "eu-west-2", null), default);
        Assert.Equal("AKIAENV", (await c.Credentials.GetCredentialsAsync()).AccessKey);
        Assert.Equal("eu-west-2", c.Region);
    }

    [Fact]
    public async Task A_named_profile_supplies_credentials_and_a_missing_one_is_named_in_the_error()
    {
        var dir = Directory.CreateTempSubdirectory("ops-aws-profile-").FullName;
        var credentials = Path.Combine(dir, "credentials");
        File.WriteAllText(credentials, "[ops-test]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = secret\n");
        var factory = new AwsConnectionFactory(environment: new Dictionary<string, string> { ["AWS_SHARED_CREDENTIALS_FILE"] = credentials });
        var c = await factory.ConnectAsync(new AwsSettings(CloudKind.Aws, null, "us-east-1", "ops-test"), default);
        Assert.Equal("AKIAPROFILE", (await c.Credentials.GetCredentialsAsync()).AccessKey);
        Assert.Null(c.EndpointUrl);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.ConnectAsync(new AwsSettings(CloudKind.Aws, null, "us-east-1", "nope"), default));
        Assert.Equal("AWS profile 'nope' was not found in ~/.aws/config or ~/.aws/credentials; check the name with `aws configure list-profiles`.", e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Local_cloud_goes_through_the_seam()
    {
        var local = new FakeLocalCloud(moto.Endpoint);
        var c = await new AwsConnectionFactory(local).ConnectAsync(new AwsSettings(CloudKind.Local, null, "us-east-1", null), default);
        Assert.Equal(1, local.Calls);
        Assert.Equal(moto.Endpoint, c.EndpointUrl);
        Assert.Equal("local-key", (await c.Credentials.GetCredentialsAsync()).AccessKey);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new AwsConnectionFactory().ConnectAsync(new AwsSettings(CloudKind.Local, null, "us-east-1",
            null), default));
        Assert.Contains("--cloud local needs the embedded local cloud", e.Message);
    }
}

[Collection(MotoCollection.Name)]
public sealed class ConnectionFactoryTestsOnMoto(MotoServer cloud) : ConnectionFactoryTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class ConnectionFactoryTestsOnLocalCloud(LocalCloudTestServer cloud) : ConnectionFactoryTests(cloud);

/// <summary>Behaviour that AWSSDK.Core reads from the process environment; not run in parallel with anything.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "process environment";
}

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class EnvironmentTests(MotoServer moto) : IDisposable
{
    readonly Dictionary<string, string?> _saved = new();

    void Set(string name, string? value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    [Fact]
    public async Task The_default_chain_reads_environment_keys_for_cloud_aws()
    {
        Set("AWS_ACCESS_KEY_ID", "AKIACHAIN");
        Set("AWS_SECRET_ACCESS_KEY", "secret");
        var c = await new AwsConnectionFactory().ConnectAsync(new AwsSettings(CloudKind.Aws, null, "us-east-1", null), default);
        Assert.Equal("AKIACHAIN", (await c.Credentials.GetCredentialsAsync()).AccessKey);
    }

    [Fact]
    public async Task AWS_ENDPOINT_URL_for_a_service_redirects_that_service()
    {
        Set("AWS_ENDPOINT_URL_ECS", moto.Endpoint.ToString());
        var connection = new AwsConnection { Credentials = new BasicAWSCredentials("test", "test"), Region = "us-east-1" };
        var name = MotoServer.Unique("env-endpoint");
        await new Ecs.EcsClient(connection).CreateClusterAsync(new Ecs.CreateClusterRequest { ClusterName = name });
        Assert.Contains((await new Ecs.EcsClient(moto.Connection).ListClustersAsync()).ClusterArns!, a => a.EndsWith("/" + name));
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
    }
}
