using System.Net.Sockets;
using Npgsql;
using Ops.Aws;
using StackExchange.Redis;
using ElastiCache = Ops.Aws.ElastiCache;
using Rds = Ops.Aws.Rds;
using Redshift = Ops.Aws.Redshift;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// With a state directory and PostgreSQL and Redis installed (tests/run.sh installs them), RDS instances and Redshift
/// clusters are real PostgreSQL and ElastiCache groups real Redis: data written through their endpoints with Npgsql and
/// StackExchange.Redis survives a restart of the local cloud, the password or token is required, and neither is in any file.
/// </summary>
public sealed class RealDataStoreTests : IDisposable
{
    const string Password = "Real-Db-Password-4711";
    const string Token = "Real-Redis-Auth-Token-0815-xyz";
    readonly string _state = Directory.CreateTempSubdirectory("localcloud-real-").FullName;

    static AwsConnection Connect(LocalCloudServer server) => TestClouds.Connection(server.Url);

    Task<LocalCloudServer> StartAsync() => LocalCloudServer.StartAsync(TestClouds.Options(_state));

    static void RequireBinaries(LocalCloudServer server) =>
        Assert.True(server.DataStoreStatus.Contains("PostgreSQL (", StringComparison.Ordinal) && server.DataStoreStatus.Contains("Redis (", StringComparison.Ordinal),
            $"{server.DataStoreStatus} — install postgresql and redis-server (tests/run.sh does) to run these tests");

    static async Task<Rds.DBInstance> WaitAvailableAsync(Rds.RdsClient rds, string id)
    {
        for (var i = 0; i < 300; i++)
        {
            var db = (await rds.DescribeDBInstancesAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = id })).DBInstances!.Single();
            if (db.DBInstanceStatus == "available") return db;
            Assert.NotEqual("failed", db.DBInstanceStatus);
            await Task.Delay(100);
        }
        throw new TimeoutException($"{id} never became available");
    }

    static string ConnectionString(string host, int port, string user, string password, string database) =>
        new NpgsqlConnectionStringBuilder { Host = host, Port = port, Username = user, Password = password, Database = database, Pooling = false,
            Timeout = 10 }.ConnectionString;

    /// <summary>As on AWS: the master user owns its data and may create databases, but runs no program and reads no server file.</summary>
    [Fact]
    public async Task The_master_user_is_not_a_superuser_and_cannot_run_programs_or_read_server_files()
    {
        await using var server = await StartAsync();
        RequireBinaries(server);
        var rds = new Rds.RdsClient(Connect(server));
        await rds.CreateDBInstanceAsync(new Rds.CreateDBInstanceMessage
        {
            DBInstanceIdentifier = "nosuper-db",
            DBInstanceClass = "db.t4g.micro",
            Engine = "postgres",
            MasterUsername = "iotile",
            MasterUserPassword = Password,
            DBName = "iotile",
            AllocatedStorage = 20,
        });
        var db = await WaitAvailableAsync(rds, "nosuper-db");
        foreach (var database in new[] { "iotile", "postgres" })
        {
            await using var connection = new NpgsqlConnection(ConnectionString(db.Endpoint!.Address!, db.Endpoint.Port!.Value, "iotile", Password, database));
            await connection.OpenAsync();
            async Task<object?> Scalar(string sql)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                return await command.ExecuteScalarAsync();
            }
            Assert.Equal(false, await Scalar("select rolsuper from pg_roles where rolname = current_user"));
            await Scalar("create table owned_by_master(v text); insert into owned_by_master values ('x')");
            Assert.Equal("x", await Scalar("select v from owned_by_master"));
            var program = await Assert.ThrowsAsync<PostgresException>(() => Scalar($"copy (select 1) to program 'touch {_state}/should-not-exist'"));
            Assert.Equal("42501", program.SqlState); // insufficient_privilege
            var file = await Assert.ThrowsAsync<PostgresException>(() => Scalar("select pg_read_file('postgresql.conf')"));
            Assert.Equal("42501", file.SqlState);
            var grant = await Assert.ThrowsAsync<PostgresException>(() => Scalar("grant pg_execute_server_program to current_user"));
            Assert.Equal("42501", grant.SqlState);
        }
        await using (var connection = new NpgsqlConnection(ConnectionString(db.Endpoint!.Address!, db.Endpoint.Port!.Value, "iotile", Password, "postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("create database made_by_master", connection);
            await create.ExecuteNonQueryAsync();
            if (connection.PostgreSqlVersion.Major >= 16)
            {
                await using var role = new NpgsqlCommand("create role app_reader login password 'x-Reader-1'", connection);
                await role.ExecuteNonQueryAsync();
            }
        }
        Assert.False(File.Exists(Path.Combine(_state, "should-not-exist")));
    }

    [Fact]
    public async Task A_row_written_through_the_RDS_endpoint_is_read_back_after_a_restart_and_a_final_snapshot_keeps_the_data()
    {
        int port;
        await using (var server = await StartAsync())
        {
            RequireBinaries(server);
            var rds = new Rds.RdsClient(Connect(server));
            await rds.CreateDBInstanceAsync(new Rds.CreateDBInstanceMessage
            {
                DBInstanceIdentifier = "app-db",
                DBInstanceClass = "db.t4g.micro",
                Engine = "postgres",
                MasterUsername = "iotile",
                MasterUserPassword = Password,
                DBName = "iotile",
                AllocatedStorage = 20,
            });
            var db = await WaitAvailableAsync(rds, "app-db");
            Assert.Equal("127.0.0.1", db.Endpoint!.Address);
            port = db.Endpoint.Port!.Value;
            await using var connection = new NpgsqlConnection(ConnectionString("127.0.0.1", port, "iotile", Password, "iotile"));
            await connection.OpenAsync();
            await using (var create = new NpgsqlCommand("create table marker(v text); insert into marker values ('kept across restarts')", connection))
                await create.ExecuteNonQueryAsync();
            await using var wrong = new NpgsqlConnection(ConnectionString("127.0.0.1", port, "iotile", "not-the-password", "iotile"));
            var refused = await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync());
            Assert.Equal("28P01", refused.SqlState); // invalid_password
        }
        Assert.False(await ListensAsync(port), "postgres still listens after the local cloud stopped");

        await using (var server = await StartAsync())
        {
            var rds = new Rds.RdsClient(Connect(server));
            var db = await WaitAvailableAsync(rds, "app-db");
            await using (var connection = new NpgsqlConnection(ConnectionString("127.0.0.1", db.Endpoint!.Port!.Value, "iotile", Password, "iotile")))
            {
                await connection.OpenAsync();
                await using var read = new NpgsqlCommand("select v from marker", connection);
                Assert.Equal("kept across restarts", await read.ExecuteScalarAsync());
            }
            await rds.ModifyDBInstanceAsync(new Rds.ModifyDBInstanceMessage { DBInstanceIdentifier = "app-db", MasterUserPassword = Password + "-2",
                ApplyImmediately = true });
            await using (var changed = new NpgsqlConnection(ConnectionString("127.0.0.1", db.Endpoint.Port!.Value, "iotile", Password + "-2", "iotile")))
                await RetryAsync(() => changed.OpenAsync());
            await rds.DeleteDBInstanceAsync(new Rds.DeleteDBInstanceMessage { DBInstanceIdentifier = "app-db", FinalDBSnapshotIdentifier = "app-db-final" });
            port = db.Endpoint.Port!.Value;
            for (var i = 0; i < 100 && (await rds.DescribeDBInstancesAsync()).DBInstances!.Count > 0; i++) await Task.Delay(100);
        }
        Assert.False(await ListensAsync(port), "postgres of a deleted instance still listens");
        Assert.True(Directory.Exists(Path.Combine(_state, "snapshots", "rds", "app-db-final", "pgdata")), "the final snapshot kept no data");
        Assert.False(Directory.Exists(Path.Combine(_state, "rds", "app-db")), "the deleted instance's data is still there");
        AssertNowhereInState(Password);
    }

    [Fact]
    public async Task A_Redshift_cluster_is_PostgreSQL_on_its_endpoint_with_the_master_user()
    {
        await using var server = await StartAsync();
        RequireBinaries(server);
        var redshift = new Redshift.RedshiftClient(Connect(server));
        await redshift.CreateClusterAsync(new Redshift.CreateClusterMessage
        {
            ClusterIdentifier = "warehouse",
            NodeType = "ra3.large",
            ClusterType = "single-node",
            MasterUsername = "loader",
            MasterUserPassword = "Warehouse-Pass1",
            Encrypted = true,
        });
        Redshift.Cluster cluster;
        do
        {
            await Task.Delay(100);
            cluster = (await redshift.DescribeClustersAsync(new Redshift.DescribeClustersMessage { ClusterIdentifier = "warehouse" })).Clusters!.Single();
            Assert.NotEqual("failed", cluster.ClusterStatus);
        } while (cluster.ClusterStatus != "available");
        await using var connection = new NpgsqlConnection(ConnectionString(cluster.Endpoint!.Address!, cluster.Endpoint.Port!.Value, "loader", "Warehouse-Pass1", "dev"));
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("create table stream_data(device text, value int); insert into stream_data values ('d1', 7); select sum(value) from stream_data", connection);
        Assert.Equal(7L, await insert.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_key_written_through_the_ElastiCache_endpoint_needs_the_token_and_survives_a_restart()
    {
        int port;
        await using (var server = await StartAsync())
        {
            RequireBinaries(server);
            var cache = new ElastiCache.ElastiCacheClient(Connect(server));
            await cache.CreateReplicationGroupAsync(new ElastiCache.CreateReplicationGroupMessage
            {
                ReplicationGroupId = "sessions",
                ReplicationGroupDescription = "cache",
                Engine = "redis",
                CacheNodeType = "cache.t4g.micro",
                NumCacheClusters = 1,
                TransitEncryptionEnabled = true,
                AtRestEncryptionEnabled = true,
                AuthToken = Token,
            });
            var endpoint = await PrimaryAsync(cache, "sessions");
            port = endpoint.Port!.Value;
            await using var redis = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { { "127.0.0.1", port } }, Password = Token,
                AbortOnConnectFail = true });
            await redis.GetDatabase().StringSetAsync("marker", "kept");
            // Without the token the server itself refuses: asked over a raw connection, so the answer is Redis's own
            // (a client library may report its failed handshake instead, depending on timing).
            Assert.StartsWith("-NOAUTH", await RawCommandAsync(port, "GET marker"));
        }
        Assert.False(await ListensAsync(port), "redis-server still listens after the local cloud stopped");

        await using (var server = await StartAsync())
        {
            var endpoint = await PrimaryAsync(new ElastiCache.ElastiCacheClient(Connect(server)), "sessions");
            await using var redis = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { { "127.0.0.1", endpoint.Port!.Value } },
                Password = Token });
            Assert.Equal("kept", (string?)await redis.GetDatabase().StringGetAsync("marker"));
        }
        AssertNowhereInState(Token);
    }

    [Fact]
    public async Task Without_real_data_stores_requested_the_endpoints_stay_simulated()
    {
        await using var server = await LocalCloudServer.StartAsync(TestClouds.Options(_state) with { RunDataStores = false });
        Assert.Equal("data stores: simulated (not requested)", server.DataStoreStatus);
        var rds = new Rds.RdsClient(Connect(server));
        await rds.CreateDBInstanceAsync(new Rds.CreateDBInstanceMessage { DBInstanceIdentifier = "sim", DBInstanceClass = "db.t4g.micro", Engine = "postgres", MasterUsername = "u",
            MasterUserPassword = Password });
        Assert.Equal("sim.local-cloud.internal", (await WaitAvailableAsync(rds, "sim")).Endpoint!.Address);
        Assert.False(Directory.Exists(Path.Combine(_state, "rds")));
    }

    [Fact]
    public async Task As_root_a_state_directory_the_postgres_user_cannot_reach_keeps_databases_simulated_and_says_why()
    {
        // _state is a mkdtemp directory (0700): a state directory inside it is out of the postgres user's reach.
        var nested = Path.Combine(_state, "project", ".nuke", "temp", "local-cloud");
        Directory.CreateDirectory(nested);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var server = await LocalCloudServer.StartAsync(TestClouds.Options(nested));
        var rds = new Rds.RdsClient(Connect(server));
        await rds.CreateDBInstanceAsync(new Rds.CreateDBInstanceMessage { DBInstanceIdentifier = "far", DBInstanceClass = "db.t4g.micro", Engine = "postgres", MasterUsername = "u",
            MasterUserPassword = Password });
        var db = await WaitAvailableAsync(rds, "far");
        if (Environment.UserName == "root")
        {
            Assert.Contains($"RDS and Redshift simulated (PostgreSQL runs as the postgres user, who cannot reach the state directory through {_state}; chmod o+x it", server.DataStoreStatus);
            Assert.Equal("far.local-cloud.internal", db.Endpoint!.Address);
        }
        else Assert.Equal("127.0.0.1", db.Endpoint!.Address); // not root: PostgreSQL runs as this user and reaches it
    }

    static async Task<ElastiCache.Endpoint> PrimaryAsync(ElastiCache.ElastiCacheClient cache, string id)
    {
        for (var i = 0; i < 300; i++)
        {
            var group = (await cache.DescribeReplicationGroupsAsync(new ElastiCache.DescribeReplicationGroupsMessage { ReplicationGroupId = id }))
                .ReplicationGroups!.Single();
            Assert.NotEqual("create-failed", group.Status);
            if (group.Status == "available") return group.NodeGroups![0].PrimaryEndpoint!;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{id} never became available");
    }

    static async Task RetryAsync(Func<Task> attempt)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await attempt();
                return;
            }
            catch (PostgresException) when (i < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Sends one inline Redis command over a fresh TCP connection and returns the first line of the reply.</summary>
    static async Task<string> RawCommandAsync(int port, string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadLineAsync(timeout.Token) ?? "";
    }

    static async Task<bool> ListensAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    void AssertNowhereInState(string secret)
    {
        var files = Directory.EnumerateFiles(_state, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var needle = System.Text.Encoding.UTF8.GetBytes(secret);
        foreach (var file in files)
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(needle) < 0, $"{file} holds the secret");
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);
}
