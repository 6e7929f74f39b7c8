using Ops.Aws.Firehose;
using Ops.Aws.Lookups;
using Ops.Stack.Core;
using Ops.Stack.Secrets;
using Ops.Stack.Status;

namespace Ops.Stack.Stores;

/// <summary>
/// create-firehose-stream: the Firehose delivery stream that lands records in the Firehose bucket and COPYs them into the
/// stream-timeseries Redshift cluster (its master user and SSM password), encrypted with an AWS-owned key, tagged. Ops does
/// not manage IAM: the role <c>firehose.role</c> must exist.
/// </summary>
public sealed class FirehoseProvisioner(StageContext context) : IStatusSource
{
    readonly FirehoseClient _firehose = new(context.Connection);

    string Name => context.Stack.Firehose.Stream;

    string Resource => $"firehose stream {Name}";

    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        var wanted = await WantedAsync(context.DryRun, cancellationToken);
        var existing = await DescribeAsync(cancellationToken);
        if (existing != null)
        {
            var drift = Differences(existing, wanted.Jdbc, wanted.RoleArn, wanted.BucketArn).ToList();
            if (drift.Count > 0)
                throw new CloudStateException($"{Resource} differs from the stack ({string.Join("; ", drift)}); Ops does not rewrite a stream's destination in place — " +
                                         $"delete the stream (records already delivered stay in S3 and Redshift) and run create-firehose-stream again.");
            context.Log.Info($"{Resource}: up to date ({existing.DeliveryStreamStatus})");
            return [];
        }
        var spec = context.Stack.Firehose;
        var change = new Change(Resource, "stream", null, $"S3 {context.Stack.Buckets.Firehose} → Redshift {context.Stack.TimeSeries.Cluster} table {spec.Table}, buffer {spec.BufferSeconds}s, encrypted");
        var password = await new SecretStore(context).GetAsync(context.Stack.TimeSeries.PasswordSecret, cancellationToken);
        if (password == null && !context.DryRun)
            throw new CloudStateException($"secret {context.Stack.Secrets.ParameterName(context.Stack.TimeSeries.PasswordSecret)} does not exist; run ./build.sh create-streamtimeseries-redshift --stage {context.Stack.Stage} first (up does it for you).");
        await Mutation.ApplyAsync(context, change, () => _firehose.CreateDeliveryStreamAsync(new CreateDeliveryStreamInput
        {
            DeliveryStreamName = Name,
            DeliveryStreamType = "DirectPut",
            DeliveryStreamEncryptionConfigurationInput = new DeliveryStreamEncryptionConfigurationInput { KeyType = "AWS_OWNED_CMK" },
            RedshiftDestinationConfiguration = new RedshiftDestinationConfiguration
            {
                RoleARN = wanted.RoleArn,
                ClusterJDBCURL = wanted.Jdbc,
                Username = context.Stack.TimeSeries.MasterUser,
                Password = password,
                CopyCommand = new CopyCommand { DataTableName = spec.Table, CopyOptions = "json 'auto' gzip" },
                S3Configuration = new S3DestinationConfiguration
                {
                    RoleARN = wanted.RoleArn,
                    BucketARN = wanted.BucketArn,
                    Prefix = "firehose/",
                    CompressionFormat = "GZIP",
                    BufferingHints = new BufferingHints { IntervalInSeconds = spec.BufferSeconds, SizeInMBs = 5 },
                },
            },
            Tags = context.Stack.Tags.Select(t => new Ops.Aws.Firehose.Tag { Key = t.Key, Value = t.Value }).ToList(),
        }, cancellationToken));
        return [change];
    }

    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var existing = await DescribeAsync(cancellationToken);
        if (existing == null) return [ResourceStatus.Missing("firehose-stream", Name)];
        var wanted = await WantedAsync(allowMissingCluster: true, cancellationToken);
        var drift = Differences(existing, wanted.Jdbc, wanted.RoleArn, wanted.BucketArn).ToList();
        return [new ResourceStatus("firehose-stream", Name, true, existing.DeliveryStreamStatus ?? "unknown", existing.DeliveryStreamStatus == "ACTIVE", drift)];
    }

    /// <summary>What the stream's destination should be: the cluster's JDBC URL (null while the cluster has no endpoint), the role and bucket ARNs.</summary>
    async Task<(string? Jdbc, string RoleArn, string BucketArn)> WantedAsync(bool allowMissingCluster, CancellationToken ct)
    {
        var account = await AccountId.OfAsync(context, ct);
        var endpoint = await new WarehouseProvisioner(context, context.Stack.TimeSeries).EndpointAsync(ct);
        if (endpoint == null && !allowMissingCluster)
            throw new CloudStateException($"redshift cluster {context.Stack.TimeSeries.Cluster} does not exist; run ./build.sh create-streamtimeseries-redshift --stage {context.Stack.Stage} first (up does it for you).");
        var jdbc = endpoint == null ? null : $"jdbc:redshift://{endpoint.Address}:{endpoint.Port}/{context.Stack.TimeSeries.Database}";
        return (jdbc, $"arn:aws:iam::{account}:role/{context.Stack.Firehose.Role}", $"arn:aws:s3:::{context.Stack.Buckets.Firehose}");
    }

    IEnumerable<string> Differences(DeliveryStreamDescription existing, string? jdbc, string roleArn, string bucketArn)
    {
        var redshift = existing.Destinations?.FirstOrDefault()?.RedshiftDestinationDescription;
        if (redshift == null)
        {
            yield return "destination: not Redshift → Redshift";
            yield break;
        }
        if (jdbc != null && redshift.ClusterJDBCURL != jdbc) yield return $"cluster: {redshift.ClusterJDBCURL} → {jdbc}";
        if (redshift.CopyCommand?.DataTableName != context.Stack.Firehose.Table) yield return $"table: {redshift.CopyCommand?.DataTableName} → {context.Stack.Firehose.Table}";
        if (redshift.Username != context.Stack.TimeSeries.MasterUser) yield return $"user: {redshift.Username} → {context.Stack.TimeSeries.MasterUser}";
        if (redshift.RoleARN != roleArn) yield return $"role: {redshift.RoleARN} → {roleArn}";
        if (redshift.S3DestinationDescription?.BucketARN != bucketArn) yield return $"bucket: {redshift.S3DestinationDescription?.BucketARN} → {bucketArn}";
    }

    Task<DeliveryStreamDescription?> DescribeAsync(CancellationToken ct) => FirehoseLookup.StreamAsync(_firehose, Name, ct);
}
