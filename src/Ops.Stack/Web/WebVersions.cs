using Amazon.S3;
using Ops.Aws;
using Ops.Aws.ElasticBeanstalk;
using Ops.Aws.Lookups;
using Ops.Stack.Core;
using PutObjectRequest = Amazon.S3.Model.PutObjectRequest;

namespace Ops.Stack.Web;

/// <summary>Application versions: a bundle is uploaded to Elastic Beanstalk's storage bucket and registered once under its label; an existing label is
/// reused.</summary>
internal sealed class WebVersions(StageContext context, ElasticBeanstalkClient eb)
{
    string Application => context.Stack.Web.Application;

    /// <summary>Whether application version <paramref name="label"/> exists (read call).</summary>
    public async Task<bool> ExistsAsync(string label, CancellationToken ct) =>
        (await eb.DescribeApplicationVersionsAsync(new DescribeApplicationVersionsMessage { ApplicationName = Application, VersionLabels = [label] }, ct))
            .ApplicationVersions?.Any(v => v.VersionLabel == label) == true;

    /// <summary>Uploads and registers <paramref name="bundle"/> unless its label exists (on a dry run only says so).</summary>
    public async Task<IReadOnlyList<Change>> EnsureAsync(SourceBundle bundle, CancellationToken ct)
    {
        if (await ExistsAsync(bundle.Label, ct))
        {
            context.Log.Info($"application version {bundle.Label} exists ({bundle.Files} files of {context.Stack.Web.Source})");
            return [];
        }
        var change = new Change($"eb application version {Application}/{bundle.Label}", "version", null,
            $"{bundle.Files} files of {context.Stack.Web.Source}, {bundle.Bytes.Length / 1024.0:0.#} KiB, web: {bundle.WebCommand}");
        await Mutation.ApplyAsync(context, change, async () =>
        {
            var bucket = (await eb.CreateStorageLocationAsync(new CreateStorageLocationRequest(), ct)).S3Bucket
                ?? throw new CloudStateException("Elastic Beanstalk returned no storage bucket (CreateStorageLocation); check elasticbeanstalk:CreateStorageLocation permissions.");
            var key = $"{Application}/{bundle.Label}.zip";
            using (var s3 = AwsConnectionFactory.CreateS3(context.Connection))
            using (var body = new MemoryStream(bundle.Bytes, writable: false))
                await s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    InputStream = body,
                    ContentType = "application/zip",
                    ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
                }, ct);
            try
            {
                await eb.CreateApplicationVersionAsync(new CreateApplicationVersionMessage
                {
                    ApplicationName = Application,
                    VersionLabel = bundle.Label,
                    SourceBundle = new S3Location { S3Bucket = bucket, S3Key = key },
                    Description = $"{bundle.Files} files of {context.Stack.Web.Source}, sha256 {bundle.Sha256}",
                    Tags = context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                }, ct);
            }
            catch (Exception e) when (AwsErrors.IsBeanstalkAlreadyExists(e))
            {
                // A parallel run registered the same content under the same label first.
            }
        });
        return [change];
    }
}
