using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Npgsql;
using Ops.Aws;
using Ops.Aws.Lookups;
using Ops.Aws.Sqs;
using Ops.Contracts;
using Ops.Stack.Core;
using Ops.Stack.Secrets;
using Ops.Stack.Stores;
using StackExchange.Redis;

namespace Ops.Stack.Drills;

/// <summary>
/// The drill's markers, one per store: a row in PostgreSQL (RDS) and in the Redshift cluster, a key in Redis, an object in
/// the uploads bucket, an item in the devices table (<see cref="WriteAsync"/>, before the teardown), and a Sleep message
/// on the work queue whose arguments carry the drill id (<see cref="WriteQueueAsync"/>, sent once the teardown stopped
/// every worker, so only a recreated worker can run it; found again in the worker log). A store whose endpoint has no
/// server behind it (the local cloud without PostgreSQL or Redis installed) is skipped and says so; any other failure to
/// write is an error.
/// </summary>
public sealed class DrillMarkers(StageContext context, string drillId)
{
    const string Table = "ops_drill_markers";

    string Key => $"ops-drill/{drillId}.txt";

    string RedisKey => $"ops-drill:{drillId}";

    string Slug => $"ops-drill-{drillId}";

    string QueueWhere => $"{context.Stack.Queues.Work.Name}: a Sleep message carrying {drillId}, then the worker log";

    /// <summary>Writes the store markers; returns them (written or skipped).</summary>
    public async Task<IReadOnlyList<DrillMarker>> WriteAsync(CancellationToken ct)
    {
        var markers = new List<DrillMarker>
        {
            await PostgresAsync(write: true, ct),
            await RedshiftAsync(write: true, ct),
            await RedisAsync(write: true, ct),
            await S3Async(write: true, ct),
            await DynamoAsync(write: true, ct),
        };
        return markers;
    }

    /// <summary>
    /// Looks for every marker written (skipped ones stay skipped); the queue's within <paramref name="queueWait"/>, run by a
    /// worker that is not one of <paramref name="tornDownTasks"/> (the task ids the teardown stopped).
    /// </summary>
    public async Task VerifyAsync(IReadOnlyList<DrillMarker> markers, TimeSpan queueWait, IReadOnlySet<string> tornDownTasks, CancellationToken ct)
    {
        foreach (var marker in markers.Where(m => m.State == "written"))
        {
            var found = marker.Store switch
            {
                "postgresql" => await PostgresAsync(write: false, ct),
                "redshift" => await RedshiftAsync(write: false, ct),
                "redis" => await RedisAsync(write: false, ct),
                "s3" => await S3Async(write: false, ct),
                "dynamodb" => await DynamoAsync(write: false, ct),
                _ => await QueueVerifyAsync(queueWait, tornDownTasks, ct),
            };
            (marker.State, marker.Detail) = (found.State, found.Detail);
        }
    }

    /// <summary>The marker row in the RDS instance's database.</summary>
    async Task<DrillMarker> PostgresAsync(bool write, CancellationToken ct)
    {
        var db = context.Stack.Database;
        var endpoint = await new RdsInstanceProvisioner(context).EndpointAsync(ct);
        return await SqlAsync("postgresql", db.Identifier, endpoint?.Address, endpoint?.Port, db.Name, db.MasterUser, db.PasswordSecret, write, ct);
    }

    /// <summary>The marker row in the Redshift cluster's database.</summary>
    async Task<DrillMarker> RedshiftAsync(bool write, CancellationToken ct)
    {
        var cluster = context.Stack.Redshift;
        var endpoint = await new WarehouseProvisioner(context, cluster).EndpointAsync(ct);
        return await SqlAsync("redshift", cluster.Cluster, endpoint?.Address, endpoint?.Port, cluster.Database, cluster.MasterUser, cluster.PasswordSecret, write, ct);
    }

    async Task<DrillMarker> SqlAsync(string store, string id, string? host, int? port, string database, string user, string secret, bool write,
        CancellationToken ct)
    {
        var marker = new DrillMarker(store, $"{id}: table {Table}, row {drillId}");
        if (host == null) return Fail(marker, write, $"{id} does not exist or has no endpoint");
        if (LocalCloudHosts.IsSimulated(host)) return Skip(marker, $"{id} is simulated (no server behind {host}); install postgresql for a real one");
        var password = await new SecretStore(context).GetAsync(secret, ct);
        if (password == null) return Fail(marker, write, $"secret {secret} is missing");
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port ?? 5432,
            Database = database,
            Username = user,
            Password = password,
            Timeout = 15,
            Pooling = false,
            SslMode = context.StoresUseTls ? SslMode.Require : SslMode.Disable,
        }.ConnectionString;
        try
        {
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync(ct);
            if (write)
            {
                await using var create = new NpgsqlCommand($"create table if not exists {Table} (id text primary key, written_at timestamptz not null default now()); insert into {Table} (id) values (@id) on conflict do nothing", db);
                create.Parameters.AddWithValue("id", drillId);
                await create.ExecuteNonQueryAsync(ct);
                return Mark(marker, "written", null);
            }
            await using var read = new NpgsqlCommand($"select count(*) from {Table} where id = @id", db);
            read.Parameters.AddWithValue("id", drillId);
            return (long)(await read.ExecuteScalarAsync(ct))! == 1 ? Mark(marker, "survived", null) : Mark(marker, "lost", "the row is gone");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return Fail(marker, write, $"{host}:{port}: {e.Message}");
        }
    }

    async Task<DrillMarker> RedisAsync(bool write, CancellationToken ct)
    {
        var id = context.Stack.Redis.ReplicationGroup;
        var marker = new DrillMarker("redis", $"{id}: key {RedisKey}");
        var primary = await new RedisProvisioner(context).PrimaryAsync(ct);
        if (primary?.Address == null) return Fail(marker, write, $"{id} does not exist or has no endpoint");
        if (LocalCloudHosts.IsSimulated(primary.Address)) return Skip(marker, $"{id} is simulated (no server behind {primary.Address}); install redis-server for a real one");
        var token = await new SecretStore(context).GetAsync(context.Stack.Redis.AuthSecret, ct);
        var options = new ConfigurationOptions
        {
            EndPoints = { { primary.Address, primary.Port ?? 6379 } },
            Password = token,
            Ssl = context.StoresUseTls,
            ConnectTimeout = 15000,
            AbortOnConnectFail = true,
        };
        try
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            var db = redis.GetDatabase();
            if (write)
            {
                await db.StringSetAsync(RedisKey, drillId);
                return Mark(marker, "written", null);
            }
            return await db.StringGetAsync(RedisKey) == drillId ? Mark(marker, "survived", null) : Mark(marker, "lost", "the key is gone");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return Fail(marker, write, $"{primary.Address}:{primary.Port}: {e.Message}");
        }
    }

    async Task<DrillMarker> S3Async(bool write, CancellationToken ct)
    {
        var bucket = context.Stack.Buckets.Uploads;
        var marker = new DrillMarker("s3", $"s3://{bucket}/{Key}");
        using var s3 = AwsConnectionFactory.CreateS3(context.Connection);
        if (write)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = Key, ContentBody = drillId,
                ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 }, ct);
            return Mark(marker, "written", null);
        }
        try
        {
            using var got = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = Key }, ct);
            using var reader = new StreamReader(got.ResponseStream);
            return await reader.ReadToEndAsync(ct) == drillId ? Mark(marker, "survived", null) : Mark(marker, "lost", "the object changed");
        }
        catch (AmazonS3Exception e) when (AwsErrors.Is(e, "NoSuchKey", "NoSuchBucket"))
        {
            return Mark(marker, "lost", e.ErrorCode);
        }
    }

    async Task<DrillMarker> DynamoAsync(bool write, CancellationToken ct)
    {
        var table = context.Stack.Tables.Devices;
        var marker = new DrillMarker("dynamodb", $"{table}: slug {Slug}");
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(context.Connection);
        if (write)
        {
            await dynamo.PutItemAsync(new PutItemRequest { TableName = table,
                Item = new() { ["slug"] = new AttributeValue { S = Slug }, ["drill"] = new AttributeValue { S = drillId } } }, ct);
            return Mark(marker, "written", null);
        }
        try
        {
            var item = (await dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["slug"] = new AttributeValue { S = Slug } },
                ConsistentRead = true }, ct)).Item;
            return item is { Count: > 0 } ? Mark(marker, "survived", null) : Mark(marker, "lost", "the item is gone");
        }
        catch (Exception e) when (AwsErrors.Is(e, "ResourceNotFoundException"))
        {
            return Mark(marker, "lost", $"table {table} is gone");
        }
    }

    /// <summary>Sends the queue marker (call it while no worker runs: after the teardown, before the recreate).</summary>
    public async Task<DrillMarker> WriteQueueAsync(CancellationToken ct)
    {
        var queue = context.Stack.Queues.Work.Name;
        var marker = new DrillMarker("sqs", QueueWhere);
        var sqs = new SqsClient(context.Connection);
        var url = (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = queue }, ct)).QueueUrl!;
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = $"{{\"module\":\"ops.worker\",\"class\":\"Sleep\",\"arguments\":{{\"ms\":1,\"drill\":\"{drillId}\"}}}}" }, ct);
        return Mark(marker, "written", null);
    }

    /// <summary>
    /// The message was consumed when a worker-log item carries the drill id with status done; its server (the task id) must
    /// be a recreated worker, not one the teardown should have stopped.
    /// </summary>
    async Task<DrillMarker> QueueVerifyAsync(TimeSpan wait, IReadOnlySet<string> tornDownTasks, CancellationToken ct)
    {
        var marker = new DrillMarker("sqs", QueueWhere);
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(context.Connection);
        var deadline = DateTimeOffset.UtcNow + wait;
        string? last = null;
        return await Waiting.PollAsync(context.PollInterval, async token =>
        {
            var items = (await dynamo.ScanAsync(new ScanRequest
            {
                TableName = context.Stack.WorkerLogTable,
                FilterExpression = "contains(arguments, :id)",
                ExpressionAttributeValues = new() { [":id"] = new AttributeValue { S = drillId } },
                ConsistentRead = true,
            }, token)).Items;
            last = items.Select(i => Text(i, "status")).LastOrDefault() ?? last;
            if (items.FirstOrDefault(i => Text(i, "status") == "done") is { } done)
            {
                var server = Text(done, "server") ?? "an unknown worker";
                return (true, tornDownTasks.Contains(server)
                    ? Mark(marker, "lost", $"run by task {server}, which the teardown should have stopped")
                    : Mark(marker, "survived", $"consumed by the recreated worker {server}"));
            }
            if (DateTimeOffset.UtcNow > deadline)
                return (true, Mark(marker, "lost", last == null ? $"no worker took it within {wait.TotalSeconds:0} s" : $"a worker took it but it ended {last}"));
            return (false, marker);
        }, ct);
    }

    static string? Text(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var v) ? v.S : null;

    static DrillMarker Mark(DrillMarker marker, string state, string? detail)
    {
        (marker.State, marker.Detail) = (state, detail);
        return marker;
    }

    static DrillMarker Skip(DrillMarker marker, string why) => Mark(marker, "skipped", why);

    /// <summary>A store that cannot be written is the drill's error; one that cannot be read back afterwards lost its marker.</summary>
    static DrillMarker Fail(DrillMarker marker, bool write, string why) =>
        write ? throw new CloudStateException($"drill: cannot write its {marker.Store} marker ({why}); run up first, then the drill.") : Mark(marker, "lost", why);
}
