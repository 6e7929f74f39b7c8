using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Ops.Aws;

namespace Ops.LocalCloud.Tests;

/// <summary>S3 as deploys use it, through the official .NET SDK, the aws CLI, and raw signed requests.</summary>
[Collection(LocalCloudCollection.Name)]
public class S3Tests(LocalCloudFixture cloud)
{
    static readonly string[] TrickyKeys =
    [
        "100% sure", "a%2Fb", "%", "%%41", "plus+sign+", "space here", "unicode/ünïcødé/日本語/😀", "./dot/x", "../up/x", "a/./b/../c",
        "trailing/", "q?mark&amp=1#hash", "tilde~star*(paren)'quote", "semi;colon,comma=eq@at$dollar!bang", "back\\slash", "tab\tchar",
    ];

    async Task<string> NewBucketAsync(AmazonS3Client s3, string prefix)
    {
        var bucket = LocalCloudFixture.Unique(prefix).ToLowerInvariant();
        await s3.PutBucketAsync(bucket);
        return bucket;
    }

    static async Task<string> ReadAsync(GetObjectResponse response)
    {
        using (response) return await new StreamReader(response.ResponseStream).ReadToEndAsync();
    }

    [Fact]
    public async Task Tricky_keys_round_trip_byte_for_byte_through_the_cli()
    {
        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        var bucket = await NewBucketAsync(s3, "tricky-keys");
        var file = Path.GetTempFileName();
        foreach (var key in TrickyKeys)
        {
            File.WriteAllText(file, "body of " + key);
            await cloud.Aws("s3api", "put-object", "--bucket", bucket, "--key", key, "--body", file);
        }
        var listed = await cloud.Aws("s3api", "list-objects-v2", "--bucket", bucket);
        Assert.Equal(TrickyKeys.Order(StringComparer.Ordinal), listed!["Contents"]!.AsArray().Select(o => (string)o!["Key"]!));
        foreach (var key in TrickyKeys)
        {
            await cloud.Aws("s3api", "get-object", "--bucket", bucket, "--key", key, file);
            Assert.Equal("body of " + key, File.ReadAllText(file));
        }
        foreach (var key in TrickyKeys.Where(k => !k.Contains("./")))   // the .NET SDK resolves dot segments itself
            Assert.Equal("body of " + key, await ReadAsync(await s3.GetObjectAsync(bucket, key)));
        File.Delete(file);
    }

    [Fact]
    public async Task Get_and_head_carry_length_and_etag_and_ranges_answer_206_or_416()
    {
        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        var bucket = await NewBucketAsync(s3, "ranges");
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "digits.txt", ContentBody = "0123456789", ContentType = "text/plain" });
        var md5 = "\"" + Convert.ToHexStringLower(MD5.HashData("0123456789"u8)) + "\"";
        Assert.Equal(md5, put.ETag);

        var get = await RawS3Request.SendAsync(cloud.Url, "GET", $"/{bucket}/digits.txt");
        Assert.Equal((200, "10", md5, "0123456789"), (get.Status, get.Headers["content-length"], get.Headers["etag"], get.Text));
        var head = await RawS3Request.SendAsync(cloud.Url, "HEAD", $"/{bucket}/digits.txt");
        Assert.Equal((200, "10", md5, "text/plain"), (head.Status, head.Headers["content-length"], head.Headers["etag"], head.Headers["content-type"]));

        foreach (var (range, status, body, contentRange) in new[]
        {
            ("bytes=2-5", 206, "2345", "bytes 2-5/10"), ("bytes=7-", 206, "789", "bytes 7-9/10"), ("bytes=-3", 206, "789", "bytes 7-9/10"),
            ("bytes=8-100", 206, "89", "bytes 8-9/10"), ("bytes=5-2", 200, "0123456789", null),
        })
        {
            var r = await RawS3Request.SendAsync(cloud.Url, "GET", $"/{bucket}/digits.txt", extraHeaders: new Dictionary<string, string> { ["range"] = range });
            Assert.Equal((range, status, body, contentRange, body.Length.ToString()),
                (range, r.Status, r.Text, r.Headers.GetValueOrDefault("content-range"), r.Headers["content-length"]));
        }
        using (var ranged = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "digits.txt", ByteRange = new ByteRange(1, 3) }))
            Assert.Equal((HttpStatusCode.PartialContent, "123"), (ranged.HttpStatusCode, await new StreamReader(ranged.ResponseStream).ReadToEndAsync()));

        var unsatisfiable = await RawS3Request.SendAsync(cloud.Url, "GET", $"/{bucket}/digits.txt", extraHeaders: new Dictionary<string, string> { ["range"] = "bytes=10-20" });
        Assert.Equal((416, "bytes */10"), (unsatisfiable.Status, unsatisfiable.Headers.GetValueOrDefault("content-range")));
        Assert.Contains("<Code>InvalidRange</Code>", unsatisfiable.Text);
    }

    [Fact]
    public async Task Conditional_gets_answer_304_and_412_as_s3_does()
    {
        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        var bucket = await NewBucketAsync(s3, "conditional");
        var etag = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "app.js", ContentBody = "console.log(1)" })).ETag;
        async Task<int> Status(string header, string value) =>
            (await RawS3Request.SendAsync(cloud.Url, "GET", $"/{bucket}/app.js", extraHeaders: new Dictionary<string, string> { [header] = value })).Status;
        var past = DateTimeOffset.UtcNow.AddHours(-1).ToString("r");
        var future = DateTimeOffset.UtcNow.AddHours(1).ToString("r");

        Assert.Equal(304, await Status("if-none-match", etag));
        Assert.Equal(200, await Status("if-none-match", "\"0000\""));
        Assert.Equal(200, await Status("if-match", etag));
        Assert.Equal(412, await Status("if-match", "\"0000\""));
        Assert.Equal(304, await Status("if-modified-since", future));
        Assert.Equal(200, await Status("if-modified-since", past));
        Assert.Equal(412, await Status("if-unmodified-since", past));
        Assert.Equal(200, await Status("if-unmodified-since", future));
        var notModified = await RawS3Request.SendAsync(cloud.Url, "GET", $"/{bucket}/app.js", extraHeaders: new Dictionary<string, string> { ["if-none-match"] = etag });
        Assert.Equal((etag, 0), (notModified.Headers["etag"], notModified.Body.Length));
    }

    [Fact]
    public async Task Copy_object_copies_bytes_and_metadata_or_replaces_the_metadata()
    {
        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        var bucket = await NewBucketAsync(s3, "copy-src");
        var target = await NewBucketAsync(s3, "copy-dst");
        var source = "releases/ü 1+1%.zip";
        var put = new PutObjectRequest { BucketName = bucket, Key = source, ContentBody = "bundle bytes", ContentType = "application/zip" };
        put.Metadata["git-sha"] = "abc123";
        await s3.PutObjectAsync(put);

        var copied = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = source, DestinationBucket = target,
            DestinationKey = "current.zip" });
        Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData("bundle bytes"u8)) + "\"", copied.ETag);
        using (var get = await s3.GetObjectAsync(target, "current.zip"))
        {
            Assert.Equal(("bundle bytes", "application/zip", "abc123"),
                (await new StreamReader(get.ResponseStream).ReadToEndAsync(), get.Headers.ContentType, get.Metadata["git-sha"]));
        }

        var replace = new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = source,
            DestinationBucket = bucket,
            DestinationKey = source,
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = "application/octet-stream",
        };
        replace.Metadata["git-sha"] = "def456";
        await s3.CopyObjectAsync(replace);
        using (var get = await s3.GetObjectAsync(bucket, source))
        {
            Assert.Equal(("bundle bytes", "application/octet-stream", "def456"),
                (await new StreamReader(get.ResponseStream).ReadToEndAsync(), get.Headers.ContentType, get.Metadata["git-sha"]));
        }

        var self = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(bucket, source, bucket, source));
        Assert.Equal("InvalidRequest", self.ErrorCode);
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CopyObjectAsync(bucket, "nope", target, "x"));
        Assert.Equal("NoSuchKey", missing.ErrorCode);

        var cli = await cloud.Aws("s3api", "copy-object", "--bucket", target, "--key", "via-cli.zip", "--copy-source", $"{bucket}/{source}");   // botocore encodes it
        Assert.Equal(copied.ETag, (string?)cli!["CopyObjectResult"]!["ETag"]);
    }

    [Fact]
    public async Task The_cli_copies_a_20_mib_file_up_and_down_in_parts()
    {
        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        var bucket = await NewBucketAsync(s3, "multipart");
        var dir = Directory.CreateTempSubdirectory("s3-multipart-").FullName;
        var up = Path.Combine(dir, "up.bin");
        var down = Path.Combine(dir, "down.bin");
        var data = new byte[20 * 1024 * 1024 + 123];
        new Random(8).NextBytes(data);
        await File.WriteAllBytesAsync(up, data);

        var upload = await cloud.Cli("s3", "cp", up, $"s3://{bucket}/firmware/image.bin");
        Assert.True(upload.Code == 0, upload.Error);
        var head = await cloud.Aws("s3api", "head-object", "--bucket", bucket, "--key", "firmware/image.bin");
        Assert.Equal(data.Length, (long)head!["ContentLength"]!);
        Assert.Matches("^\"[0-9a-f]{32}-3\"$", (string)head["ETag"]!);   // the CLI's 8 MiB parts
        var download = await cloud.Cli("s3", "cp", $"s3://{bucket}/firmware/image.bin", down);
        Assert.True(download.Code == 0, download.Error);
        var downloaded = await File.ReadAllBytesAsync(down);
        Assert.True(data.AsSpan().SequenceEqual(downloaded), "downloaded bytes differ");
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Multipart_uploads_list_parts_and_refuse_bad_completions()
    {
        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        var bucket = await NewBucketAsync(s3, "parts");
        var fiveMiB = new byte[5 * 1024 * 1024];
        new Random(5).NextBytes(fiveMiB);
        async Task<string> Part(string uploadId, int number, byte[] bytes) =>
            (await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "k", UploadId = uploadId, PartNumber = number,
                InputStream = new MemoryStream(bytes) })).ETag;
        PartETag[] Tags(params (int Number, string ETag)[] parts) => parts.Select(p => new PartETag(p.Number, p.ETag)).ToArray();
        async Task<string> Refused(string uploadId, params PartETag[] parts) => (await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "k", UploadId = uploadId,
                PartETags = [.. parts] }))).ErrorCode;

        var id = (await s3.InitiateMultipartUploadAsync(bucket, "k")).UploadId;
        var one = await Part(id, 1, fiveMiB);
        var small = await Part(id, 2, "tiny"u8.ToArray());
        var last = await Part(id, 3, "end"u8.ToArray());
        var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "k", UploadId = id });
        Assert.Equal([(1, one, 5L * 1024 * 1024), (2, small, 4L), (3, last, 3L)], parts.Parts.Select(p => (p.PartNumber ?? 0, p.ETag, p.Size ?? 0)));

        var outOfOrder = await cloud.Cli("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "k", "--upload-id", id,   // the .NET SDK sorts parts itself
            "--multipart-upload", $$"""{"Parts":[{"PartNumber":2,"ETag":{{System.Text.Json.JsonSerializer.Serialize(small)}}},{"PartNumber":1,"ETag":{{System.Text.Json.JsonSerializer.Serialize(one)}}}]}""");
        Assert.Contains("InvalidPartOrder", outOfOrder.Error);
        Assert.Equal("InvalidPart", await Refused(id, Tags((1, one), (4, last))));
        Assert.Equal("InvalidPart", await Refused(id, Tags((1, "\"00000000000000000000000000000000\""), (3, last))));
        Assert.Equal("EntityTooSmall", await Refused(id, Tags((1, one), (2, small), (3, last))));

        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "k", UploadId = id,
            PartETags = [.. Tags((1, one), (3, last))] });
        var expected = MD5.HashData(Convert.FromHexString(one.Trim('"')).Concat(Convert.FromHexString(last.Trim('"'))).ToArray());
        Assert.Equal($"\"{Convert.ToHexStringLower(expected)}-2\"", done.ETag);
        using (var get = await s3.GetObjectAsync(bucket, "k"))
        {
            var buffer = new MemoryStream();
            await get.ResponseStream.CopyToAsync(buffer);
            Assert.True(buffer.ToArray().SequenceEqual(fiveMiB.Concat("end"u8.ToArray())), "completed object differs from parts 1 and 3");
        }
        Assert.Equal("NoSuchUpload",
            (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "k",
                UploadId = id }))).ErrorCode);

        var aborted = (await s3.InitiateMultipartUploadAsync(bucket, "k")).UploadId;
        await s3.AbortMultipartUploadAsync(bucket, "k", aborted);
        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAsync<AmazonS3Exception>(() => Part(aborted, 1, "x"u8.ToArray()))).ErrorCode);
        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAsync<AmazonS3Exception>(() => Part("../../etc", 1, "x"u8.ToArray()))).ErrorCode);
    }

    [Fact]
    public async Task List_objects_v2_pages_with_a_delimiter_never_repeat_a_prefix()
    {
        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        var bucket = await NewBucketAsync(s3, "listing");
        string[] keys = ["a/1", "a/2", "b", "c/1", "c/2", "c/3", "d", "e/x/y", "f", "g h/1"];
        foreach (var key in keys) await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key });

        var pages = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/", MaxKeys = 2, ContinuationToken = token });
            Assert.Equal(page.KeyCount, (page.S3Objects?.Count ?? 0) + (page.CommonPrefixes?.Count ?? 0));
            pages.Add(string.Join(",", (page.CommonPrefixes ?? []).Concat(page.S3Objects?.Select(o => o.Key) ?? []).Order(StringComparer.Ordinal)));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token != null);
        Assert.Equal(["a/,b", "c/,d", "e/,f", "g h/"], pages);

        var cli = await cloud.Aws("s3api", "list-objects-v2", "--bucket", bucket, "--delimiter", "/", "--page-size", "1");
        Assert.Equal(["a/", "c/", "e/", "g h/"], cli!["CommonPrefixes"]!.AsArray().Select(p => (string)p!["Prefix"]!));
        Assert.Equal(["b", "d", "f"], cli["Contents"]!.AsArray().Select(p => (string)p!["Key"]!));

        var after = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "c/", StartAfter = "c/1", MaxKeys = 1 });
        Assert.Equal(["c/2"], after.S3Objects.Select(o => o.Key));
        Assert.Equal((true, "c/1"), (after.IsTruncated == true, after.StartAfter));
        var bad = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket,
            ContinuationToken = "garbage!" }));
        Assert.Equal("InvalidArgument", bad.ErrorCode);

        var v1 = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Delimiter = "/", MaxKeys = 3 });
        Assert.Equal(("c/", true), (v1.NextMarker, v1.IsTruncated == true));   // a/, b, c/
        var v1Next = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Delimiter = "/", Marker = "c/", MaxKeys = 10 });
        Assert.Equal(["e/", "g h/"], v1Next.CommonPrefixes);
    }

    [Fact]
    public async Task Invalid_bucket_names_are_refused_on_every_bucket_request()
    {
        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        foreach (var name in new[] { "ab", "Upper-Case", "under_score", "192.168.1.1", "xn--punycode", "bad..dots", "-starts-dash", "ends-dot.", "foo-s3alias", new string('a', 64) })
        {
            var create = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutBucketAsync(name));
            Assert.Equal((name, "InvalidBucketName"), (name, create.ErrorCode));
        }
        var get = await RawS3Request.SendAsync(cloud.Url, "GET", "/Upper-Case/key");
        Assert.Equal(400, get.Status);
        Assert.Contains("<Code>InvalidBucketName</Code>", get.Text);
        var list = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bad..dots" }));
        Assert.Equal("InvalidBucketName", list.ErrorCode);
        await s3.PutBucketAsync(LocalCloudFixture.Unique("ok.dots-and-0").ToLowerInvariant());   // valid names still work
    }

    [Fact]
    public async Task A_body_that_does_not_match_what_was_declared_stores_nothing()
    {
        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        var bucket = await NewBucketAsync(s3, "partial");
        var chunked = new Dictionary<string, string> { ["content-encoding"] = "aws-chunked", ["x-amz-decoded-content-length"] = "10" };
        var shortBody = await RawS3Request.SendAsync(cloud.Url, "PUT", $"/{bucket}/short", "5\r\nhello\r\n0\r\n\r\n"u8.ToArray(), chunked);
        Assert.Equal(400, shortBody.Status);
        Assert.Contains("<Code>IncompleteBody</Code>", shortBody.Text);
        var cut = await RawS3Request.SendAsync(cloud.Url, "PUT", $"/{bucket}/cut", "a\r\nhello"u8.ToArray(), chunked);
        Assert.Equal(400, cut.Status);
        var digest = await RawS3Request.SendAsync(cloud.Url, "PUT", $"/{bucket}/digest", "hello"u8.ToArray(),
            new Dictionary<string, string> { ["content-md5"] = Convert.ToBase64String(MD5.HashData("other"u8)) });
        Assert.Equal(400, digest.Status);
        Assert.Contains("<Code>BadDigest</Code>", digest.Text);
        Assert.Null((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects);
    }

    [Fact]
    public async Task Sdk_chunked_uploads_keep_metadata_and_concurrent_writers_never_tear_an_object()
    {
        using var s3 = AwsConnectionFactory.CreateS3(cloud.Connection);
        var bucket = await NewBucketAsync(s3, "concurrent");
        var put = new PutObjectRequest { BucketName = bucket, Key = "config.json", InputStream = new MemoryStream(Encoding.UTF8.GetBytes("{\"v\":1}")), ContentType = "application/json" };
        put.Metadata["stage"] = "dev";
        put.Headers.CacheControl = "max-age=60";
        await s3.PutObjectAsync(put);
        using (var get = await s3.GetObjectAsync(bucket, "config.json"))
            Assert.Equal(("{\"v\":1}", "dev", "max-age=60", "application/json"),
                (await new StreamReader(get.ResponseStream).ReadToEndAsync(), get.Metadata["stage"], get.Headers.CacheControl, get.Headers.ContentType));

        var versions = Enumerable.Range(0, 6).Select(n => Enumerable.Repeat((byte)('a' + n), 256 * 1024).ToArray()).ToArray();
        var writers = versions.Select(v => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "hot", InputStream = new MemoryStream(v) }));
        var readers = Enumerable.Range(0, 6).Select(async _ =>
        {
            try
            {
                using var get = await s3.GetObjectAsync(bucket, "hot");
                var buffer = new MemoryStream();
                await get.ResponseStream.CopyToAsync(buffer);
                var bytes = buffer.ToArray();
                Assert.Equal(256 * 1024, bytes.Length);
                Assert.True(bytes.All(b => b == bytes[0]), "an object being replaced was read torn");
                Assert.Equal("\"" + Convert.ToHexStringLower(MD5.HashData(bytes)) + "\"", get.ETag);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
            {
            }
        });
        await Task.WhenAll(writers.Cast<Task>().Concat(readers));
    }
}
