using System.Security.Cryptography;
using Amazon.S3.Model;
using Ops.Aws;

namespace Ops.LocalCloud.Tests;

/// <summary>Nothing an S3 request names reaches outside that bucket's own storage: signed requests with hostile raw paths against a cloud with a state
/// directory.</summary>
public sealed class S3PathSafetyTests : IAsyncLifetime
{
    string _sandbox = null!;
    string _dir = null!;
    LocalCloudServer _server = null!;

    public async Task InitializeAsync()
    {
        // The state directory sits three levels down its own sandbox, so even a regression that lets "../.." through
        // (the hostile names below climb at most two levels above s3/) stays inside the sandbox, never in /tmp.
        _sandbox = Directory.CreateTempSubdirectory("s3-paths-").FullName;
        _dir = Path.Combine(_sandbox, "one", "two", "state");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "keep.txt"), "state that must survive");
        _server = await LocalCloudServer.StartAsync(new LocalCloudOptions { StateDirectory = _dir, Delays = LifecycleDelays.Instant });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_sandbox, recursive: true);
    }

    AwsConnection Connection => new() { Credentials = new Amazon.Runtime.BasicAWSCredentials("test", "test"), Region = "us-east-1", EndpointUrl = _server.Url };

    /// <summary>Every file and directory of the sandbox outside the state directory's s3/, with a hash of each file.</summary>
    SortedDictionary<string, string> OutsideS3()
    {
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var s3 = Path.Combine(_dir, "s3");
        foreach (var entry in Directory.EnumerateFileSystemEntries(_sandbox, "*", SearchOption.AllDirectories))
            if (entry != s3 && !entry.StartsWith(s3 + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                found[entry] = File.Exists(entry) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry))) : "dir";
        return found;
    }

    [Fact]
    public async Task A_signed_delete_of_a_double_encoded_dot_dot_bucket_is_refused_and_deletes_nothing()
    {
        var before = OutsideS3();
        foreach (var target in new[] { "/%252E%252E", "/%2E%2E", "/..%2F..", "/%252E%252E%252F%252E%252E" })
        {
            var response = await RawS3Request.SendAsync(_server.Url, "DELETE", target);
            Assert.True(response.Status == 400, $"DELETE {target}: {response.Status} {response.Text}");
            Assert.Contains("<Code>InvalidBucketName</Code>", response.Text);
        }
        Assert.Equal(before, OutsideS3());
        Assert.Equal("state that must survive", File.ReadAllText(Path.Combine(_dir, "keep.txt")));
    }

    [Fact]
    public async Task A_put_cannot_write_outside_the_s3_directory()
    {
        var before = OutsideS3();
        foreach (var target in new[] { "/%252E%252E/evil", "/%2E%2E/evil", "/%252E%252E%252F%252E%252E/evil", "/..%2F..%2Fescape/evil", "/%252E%252E%252Fescape" })
        {
            var response = await RawS3Request.SendAsync(_server.Url, "PUT", target, "owned"u8.ToArray());
            Assert.True(response.Status == 400, $"PUT {target}: {response.Status} {response.Text}");
            Assert.Contains("<Code>InvalidBucketName</Code>", response.Text);
        }
        Assert.Equal(before, OutsideS3());
    }

    [Fact]
    public async Task A_key_with_dot_dot_segments_stays_in_its_own_bucket()
    {
        using var s3 = AwsConnectionFactory.CreateS3(Connection);
        await s3.PutBucketAsync("first-bucket");
        await s3.PutBucketAsync("other-bucket");

        var put = await RawS3Request.SendAsync(_server.Url, "PUT", "/first-bucket/../other-bucket/x", "mine"u8.ToArray());
        Assert.True(put.Status == 200, put.Text);
        var encoded = await RawS3Request.SendAsync(_server.Url, "PUT", "/first-bucket/..%2Fother-bucket%2Fy", "also mine"u8.ToArray());
        Assert.True(encoded.Status == 200, encoded.Text);

        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "other-bucket" })).S3Objects ?? []);
        var listed = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "first-bucket" })).S3Objects.Select(o => o.Key);
        Assert.Equal(["../other-bucket/x", "../other-bucket/y"], listed);
        var get = await RawS3Request.SendAsync(_server.Url, "GET", "/first-bucket/../other-bucket/x");
        Assert.Equal((200, "mine"), (get.Status, get.Text));
    }

    [Fact]
    public async Task Percent_signs_in_keys_are_decoded_exactly_once()
    {
        using var s3 = AwsConnectionFactory.CreateS3(Connection);
        await s3.PutBucketAsync("percent-bucket");
        Assert.Equal(200, (await RawS3Request.SendAsync(_server.Url, "PUT", "/percent-bucket/100%2525%252F", "literal"u8.ToArray())).Status);

        var listed = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "percent-bucket" })).S3Objects.Select(o => o.Key);
        Assert.Equal(["100%25%2F"], listed);
        Assert.Equal("literal", (await RawS3Request.SendAsync(_server.Url, "GET", "/percent-bucket/100%2525%252F")).Text);
        var once = await RawS3Request.SendAsync(_server.Url, "GET", "/percent-bucket/100%25%2F");   // names the key "100%/"
        Assert.Equal(404, once.Status);
        Assert.Contains("<Code>NoSuchKey</Code>", once.Text);
    }

    [Fact]
    public async Task Everything_s3_writes_is_private_to_the_user()
    {
        if (OperatingSystem.IsWindows()) return;   // POSIX modes
        using var s3 = AwsConnectionFactory.CreateS3(Connection);
        await s3.PutBucketAsync("private-bucket");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "private-bucket", Key = "secret.txt", ContentBody = "token" });
        var upload = await s3.InitiateMultipartUploadAsync("private-bucket", "big.bin");
        await s3.UploadPartAsync(new UploadPartRequest { BucketName = "private-bucket", Key = "big.bin", UploadId = upload.UploadId, PartNumber = 1,
            InputStream = new MemoryStream(new byte[100]) });

        var root = Path.Combine(_dir, "s3");
        var entries = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root).ToList();
        Assert.True(entries.Count(File.Exists) >= 3, string.Join('\n', entries));   // the object, the upload's description, its part
        const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        foreach (var entry in entries)
            Assert.Equal((entry, File.Exists(entry) ? Rw : Rw | UnixFileMode.UserExecute), (entry, File.GetUnixFileMode(entry)));
    }
}
