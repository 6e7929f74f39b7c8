using Amazon.S3;
using Amazon.S3.Model;
using Ops.Aws;
using Ops.Aws.Lookups;
using Ops.Stack.Core;
using Ops.Stack.Status;

namespace Ops.Stack.Stores;

/// <summary>
/// create-buckets: the statics, uploads and Firehose landing buckets — default encryption AES256, every public access
/// blocked (the statics bucket is read through its CloudFront distribution's origin access, not publicly), tagged; the
/// uploads bucket expires objects after <c>buckets.uploads-expiry-days</c>.
/// </summary>
public sealed class BucketsProvisioner(StageContext context) : IStatusSource
{
    /// <summary>The lifecycle rule's id on the uploads bucket.</summary>
    public const string ExpiryRule = "ops-expire-uploads";

    IReadOnlyList<(string Name, int? ExpiryDays)> Buckets =>
    [
        (context.Stack.Buckets.Statics, null),
        (context.Stack.Buckets.Uploads, context.Stack.Buckets.UploadsExpiryDays),
        (context.Stack.Buckets.Firehose, null),
    ];

    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        using var s3 = AwsConnectionFactory.CreateS3(context.Connection);
        var owned = (await s3.ListBucketsAsync(new ListBucketsRequest(), cancellationToken)).Buckets?.Select(b => b.BucketName).ToHashSet() ?? [];
        var changes = new List<Change>();
        foreach (var (name, expiry) in Buckets)
        {
            var resource = $"bucket {name}";
            var exists = owned.Contains(name);
            if (!exists)
            {
                var change = new Change(resource, "bucket", null, "AES256, public access blocked, tagged" + (expiry is { } d ? $", objects expire after {d} days" : ""));
                changes.Add(change);
                await Mutation.ApplyAsync(context, change, async () =>
                {
                    try
                    {
                        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name, UseClientRegion = true }, cancellationToken);
                    }
                    catch (Exception e) when (AwsErrors.Is(e, "BucketAlreadyExists"))
                    {
                        throw new CloudStateException($"{resource}: the name is taken by another AWS account (bucket names are global); set another name in ops.stack.yml (buckets.*).");
                    }
                });
                if (context.DryRun) continue;
            }
            foreach (var (setting, actual, wanted, apply) in await DifferencesAsync(s3, name, expiry, newBucket: !exists, cancellationToken))
            {
                var change = new Change(resource, setting, actual, wanted);
                if (exists) changes.Add(change);
                await Mutation.ApplyAsync(context, exists ? [change] : [], () => apply(s3));
            }
        }
        if (changes.Count == 0) context.Log.Info($"buckets {string.Join(", ", Buckets.Select(b => b.Name))}: up to date");
        return changes;
    }

    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        using var s3 = AwsConnectionFactory.CreateS3(context.Connection);
        var owned = (await s3.ListBucketsAsync(new ListBucketsRequest(), cancellationToken)).Buckets?.Select(b => b.BucketName).ToHashSet() ?? [];
        var rows = new List<ResourceStatus>();
        foreach (var (name, expiry) in Buckets)
        {
            if (!owned.Contains(name))
            {
                rows.Add(ResourceStatus.Missing("s3-bucket", name));
                continue;
            }
            var drift = (await DifferencesAsync(s3, name, expiry, newBucket: false, cancellationToken)).Select(d => $"{d.Setting}: {d.Actual} → {d.Wanted}").ToList();
            rows.Add(new ResourceStatus("s3-bucket", name, true, "exists", drift.Count == 0, drift));
        }
        return rows;
    }

    async Task<List<(string Setting, string Actual, string Wanted, Func<IAmazonS3, Task> Apply)>> DifferencesAsync(IAmazonS3 s3, string name, int? expiryDays,
        bool newBucket, CancellationToken ct)
    {
        var list = new List<(string, string, string, Func<IAmazonS3, Task>)>();
        var encryption = newBucket ? null : (await Try(() => s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = name }, ct), "ServerSideEncryptionConfigurationNotFoundError"))
            ?.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault()
            ?.ServerSideEncryptionByDefault?.ServerSideEncryptionAlgorithm?.Value;
        if (encryption is not ("AES256" or "aws:kms" or "aws:kms:dsse"))
            list.Add(("default encryption", encryption ?? "(none)", "AES256", c => c.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
            {
                BucketName = name,
                ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
                {
                    ServerSideEncryptionRules =
                    [
                        new ServerSideEncryptionRule
                        {
                            ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                            {
                                ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256,
                            },
                        },
                    ],
                },
            }, ct)));
        var block = newBucket ? null
            : (await Try(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = name }, ct), "NoSuchPublicAccessBlockConfiguration"))?.PublicAccessBlockConfiguration;
        if (block is not { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true })
            list.Add(("public access block", block == null ? "(none)" : $"acls {block.BlockPublicAcls}, policy {block.BlockPublicPolicy}, ignore {block.IgnorePublicAcls}, restrict {block.RestrictPublicBuckets}", "all blocked",
                c => c.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
                {
                    BucketName = name,
                    PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = true, BlockPublicPolicy = true,
                        IgnorePublicAcls = true, RestrictPublicBuckets = true },
                }, ct)));
        if (expiryDays is { } days)
        {
            var rules = newBucket ? null
                : (await Try(() => s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = name }, ct),
                    "NoSuchLifecycleConfiguration"))?.Configuration?.Rules;
            var rule = rules?.FirstOrDefault(r => r.Id == ExpiryRule);
            if (rule?.Expiration?.Days != days || rule.Status != LifecycleRuleStatus.Enabled)
                list.Add(("lifecycle expiry days", rule?.Expiration?.Days?.ToString() ?? "(none)", $"{days}", c => c.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
                {
                    BucketName = name,
                    Configuration = new LifecycleConfiguration
                    {
                        Rules =
                        [
                            .. (rules ?? new List<LifecycleRule>()).Where(r => r.Id != ExpiryRule),
                            new LifecycleRule
                            {
                                Id = ExpiryRule, Status = LifecycleRuleStatus.Enabled, Expiration = new LifecycleRuleExpiration { Days = days },
                                Filter = new LifecycleFilter { Prefix = "" },
                            },
                        ],
                    },
                }, ct)));
        }
        var tags = newBucket ? null : (await Try(() => s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = name }, ct), "NoSuchTagSet"))?.TagSet?
            .ToDictionary(t => t.Key, t => t.Value);
        var missing = StackTags.Missing(context.Stack, tags);
        if (missing.Count > 0)
            list.Add((missing.Count == context.Stack.Tags.Count ? "tags" : $"tags {string.Join(", ", missing.Keys.Order())}", tags == null ? "(none)" : "differ", "the stack's",
                c => c.PutBucketTaggingAsync(new PutBucketTaggingRequest
                {
                    // PutBucketTagging replaces the whole set: keep the bucket's other tags.
                    BucketName = name,
                    TagSet = (tags ?? []).Concat(context.Stack.Tags).GroupBy(t => t.Key).Select(g => new Tag { Key = g.Key, Value = g.Last().Value }).ToList(),
                }, ct)));
        return list;
    }

    static async Task<T?> Try<T>(Func<Task<T>> get, string missingCode) where T : class
    {
        try
        {
            return await get();
        }
        catch (Exception e) when (AwsErrors.Is(e, missingCode))
        {
            return null;
        }
    }
}
