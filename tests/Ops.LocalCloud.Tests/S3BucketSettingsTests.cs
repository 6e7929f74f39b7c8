namespace Ops.LocalCloud.Tests;

/// <summary>S3 bucket settings on LocalCloud through the aws CLI: kept as put, AWS's errors when missing or malformed, kept across a restart.</summary>
public sealed class S3BucketSettingsTests : IDisposable
{
    readonly string _state = Directory.CreateTempSubdirectory("localcloud-s3set-").FullName;

    Task<LocalCloudServer> StartAsync()
        => LocalCloudServer.StartAsync(new LocalCloudOptions { StateDirectory = _state, Delays = LifecycleDelays.Instant, RunDataStores = false });

    [Fact]
    public async Task Bucket_settings_round_trip_answer_AWS_errors_and_survive_a_restart()
    {
        await using (var server = await StartAsync())
        {
            await AwsCli.Run(server.Url, "s3api", "create-bucket", "--bucket", "settings-1");
            // Every bucket has SSE-S3 by default.
            var sse = (await AwsCli.Run(server.Url, "s3api", "get-bucket-encryption", "--bucket", "settings-1"))!["ServerSideEncryptionConfiguration"]!["Rules"]![0]!;
            Assert.Equal("AES256", sse["ApplyServerSideEncryptionByDefault"]!["SSEAlgorithm"]!.ToString());
            foreach (var (args, code) in new[]
                     {
                         (new[] { "get-public-access-block" }, "NoSuchPublicAccessBlockConfiguration"), (["get-bucket-lifecycle-configuration"], "NoSuchLifecycleConfiguration"),
                         (["get-bucket-tagging"], "NoSuchTagSet"), (["get-bucket-policy"], "NoSuchBucketPolicy"),
                     })
            {
                var (exit, _, error) = await AwsCli.Try(server.Url, ["s3api", .. args, "--bucket", "settings-1"]);
                Assert.NotEqual(0, exit);
                Assert.Contains(code, error);
            }
            await AwsCli.Run(server.Url, "s3api", "put-bucket-tagging", "--bucket", "settings-1", "--tagging", "TagSet=[{Key=Team,Value=ops}]");
            await AwsCli.Run(server.Url, "s3api", "put-bucket-policy", "--bucket", "settings-1", "--policy", """{"Version":"2012-10-17","Statement":[]}""");
            await AwsCli.Run(server.Url, "s3api", "put-bucket-versioning", "--bucket", "settings-1", "--versioning-configuration", "Status=Suspended");
            var (badExit, _, bad) = await AwsCli.Try(server.Url, "s3api", "put-bucket-policy", "--bucket", "settings-1", "--policy", "not json");
            Assert.NotEqual(0, badExit);
            Assert.Contains("MalformedPolicy", bad);
            var (objExit, _, objectTagging) = await AwsCli.Try(server.Url, "s3api", "get-object-tagging", "--bucket", "settings-1", "--key", "k");
            Assert.NotEqual(0, objExit);
            Assert.Contains("NotImplemented", objectTagging);
        }
        await using (var server = await StartAsync())
        {
            var tags = (await AwsCli.Run(server.Url, "s3api", "get-bucket-tagging", "--bucket", "settings-1"))!["TagSet"]!;
            Assert.Equal("ops", tags[0]!["Value"]!.ToString());
            Assert.Contains("2012-10-17", (await AwsCli.Run(server.Url, "s3api", "get-bucket-policy", "--bucket", "settings-1"))!["Policy"]!.ToString());
            Assert.Equal("Suspended", (await AwsCli.Run(server.Url, "s3api", "get-bucket-versioning", "--bucket", "settings-1"))!["Status"]!.ToString());
            var listed = (await AwsCli.Run(server.Url, "s3api", "list-objects-v2", "--bucket", "settings-1"))!;
            Assert.Null(listed["Contents"]); // settings are not objects
            await AwsCli.Run(server.Url, "s3api", "delete-bucket-tagging", "--bucket", "settings-1");
            var (exit, _, error) = await AwsCli.Try(server.Url, "s3api", "get-bucket-tagging", "--bucket", "settings-1");
            Assert.NotEqual(0, exit);
            Assert.Contains("NoSuchTagSet", error);
            await AwsCli.Run(server.Url, "s3api", "delete-bucket", "--bucket", "settings-1");
        }
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);
}
