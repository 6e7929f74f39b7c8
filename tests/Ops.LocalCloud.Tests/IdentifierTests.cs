using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ops.Aws;
using Ecr = Ops.Aws.Ecr;
using ElastiCache = Ops.Aws.ElastiCache;
using Rds = Ops.Aws.Rds;
using Redshift = Ops.Aws.Redshift;

namespace Ops.LocalCloud.Tests;

/// <summary>Identifiers and create parameters are checked by AWS's rules and refused with AWS's codes.</summary>
[Collection(LocalCloudCollection.Name)]
public class IdentifierTests(LocalCloudFixture cloud)
{
    Rds.CreateDBInstanceMessage Db(string id) => new()
    {
        DBInstanceIdentifier = id,
        DBInstanceClass = "db.t3.micro",
        Engine = "postgres",
        MasterUsername = "iotile",
        MasterUserPassword = "correct-horse",
        AllocatedStorage = 20,
    };

    [Theory]
    [InlineData("1db")]
    [InlineData("db-")]
    [InlineData("db--x")]
    [InlineData("db_x")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public async Task Rds_refuses_instance_identifiers_outside_the_rules(string id)
    {
        var e = await AwsAssert.ErrorCode("InvalidParameterValue", () => new Rds.RdsClient(cloud.Connection).CreateDBInstanceAsync(Db(id)), 400);
        Assert.Contains("DBInstanceIdentifier", e.Message);
    }

    [Fact]
    public async Task Rds_stores_instance_identifiers_in_lower_case_and_finds_them_in_any_case()
    {
        var rds = new Rds.RdsClient(cloud.Connection);
        var id = "Upper-" + Guid.NewGuid().ToString("N")[..8];
        var created = await rds.CreateDBInstanceAsync(Db(id));
        Assert.Equal(id.ToLowerInvariant(), created.DBInstance!.DBInstanceIdentifier);
        var found = await cloud.Aws("rds", "describe-db-instances", "--db-instance-identifier", id.ToUpperInvariant());
        Assert.Equal(id.ToLowerInvariant(), (string?)found!["DBInstances"]![0]!["DBInstanceIdentifier"]);
    }

    [Theory]
    [InlineData("MasterUserPassword", "short1")]
    [InlineData("MasterUserPassword", "has/slash-in-it")]
    [InlineData("MasterUserPassword", "has@at-in-it")]
    [InlineData("MasterUserPassword", "has\"quote-in-it")]
    [InlineData("MasterUserPassword", "has space in it")]
    [InlineData("MasterUsername", "1user")]
    [InlineData("MasterUsername", "user-name")]
    [InlineData("AllocatedStorage", "5")]
    [InlineData("AllocatedStorage", "70000")]
    public async Task Rds_refuses_create_parameters_outside_the_rules(string member, string value)
    {
        var request = Db(LocalCloudFixture.Unique("bad-param"));
        if (member == "MasterUserPassword") request.MasterUserPassword = value;
        if (member == "MasterUsername") request.MasterUsername = value;
        if (member == "AllocatedStorage") request.AllocatedStorage = int.Parse(value);
        await AwsAssert.ErrorCode("InvalidParameterValue", () => new Rds.RdsClient(cloud.Connection).CreateDBInstanceAsync(request), 400);
    }

    [Fact]
    public async Task Rds_refuses_bad_snapshot_and_subnet_group_names_through_the_cli()
    {
        var (code, _, error) = await cloud.Cli("rds", "create-db-subnet-group", "--db-subnet-group-name", "default", "--db-subnet-group-description", "x", "--subnet-ids", "subnet-1");
        Assert.NotEqual(0, code);
        Assert.Contains("InvalidParameterValue", error);
        (code, _, error) = await cloud.Cli("rds", "create-db-subnet-group", "--db-subnet-group-name", "bad!name", "--db-subnet-group-description", "x", "--subnet-ids", "subnet-1");
        Assert.Contains("InvalidParameterValue", error);

        var rds = new Rds.RdsClient(cloud.Connection);
        var id = LocalCloudFixture.Unique("snapped");
        await rds.CreateDBInstanceAsync(Db(id));
        await AwsAssert.ErrorCode("InvalidParameterValue", () => rds.CreateDBSnapshotAsync(new Rds.CreateDBSnapshotMessage { DBInstanceIdentifier = id, DBSnapshotIdentifier = "9-lives" }),
            400);
        await AwsAssert.ErrorCode("InvalidParameterValue",
            () => rds.DeleteDBInstanceAsync(new Rds.DeleteDBInstanceMessage { DBInstanceIdentifier = id, FinalDBSnapshotIdentifier = "final--snap" }), 400);
    }

    [Theory]
    [InlineData("MyCluster", "Correct-Horse-9")]
    [InlineData("cluster--x", "Correct-Horse-9")]
    [InlineData("cluster-", "Correct-Horse-9")]
    [InlineData("good-cluster", "no-upper-case-9")]
    [InlineData("good-cluster", "NO-LOWER-CASE-9")]
    [InlineData("good-cluster", "No-Digits-At-All")]
    [InlineData("good-cluster", "Sh0rt")]
    [InlineData("good-cluster", "Has'Quote9")]
    public async Task Redshift_refuses_cluster_identifiers_and_passwords_outside_the_rules(string id, string password)
    {
        var rs = new Redshift.RedshiftClient(cloud.Connection);
        await AwsAssert.ErrorCode("InvalidParameterValue", () => rs.CreateClusterAsync(new Redshift.CreateClusterMessage
        {
            ClusterIdentifier = id,
            NodeType = "ra3.xlplus",
            MasterUsername = "iotile",
            MasterUserPassword = password,
        }), 400);
    }

    [Fact]
    public async Task Redshift_refuses_a_bad_final_snapshot_identifier()
    {
        var rs = new Redshift.RedshiftClient(cloud.Connection);
        var id = LocalCloudFixture.Unique("warehouse");
        await rs.CreateClusterAsync(new Redshift.CreateClusterMessage { ClusterIdentifier = id, NodeType = "ra3.xlplus", MasterUsername = "iotile", MasterUserPassword = "Correct-Horse-9" });
        await AwsAssert.ErrorCode("InvalidParameterValue",
            () => rs.DeleteClusterAsync(new Redshift.DeleteClusterMessage { ClusterIdentifier = id, FinalClusterSnapshotIdentifier = "final-" }), 400);
    }

    [Fact]
    public async Task ElastiCache_refuses_long_or_malformed_ids_and_bad_auth_tokens()
    {
        var ec = new ElastiCache.ElastiCacheClient(cloud.Connection);
        ElastiCache.CreateCacheClusterMessage Cluster(string id) => new() { CacheClusterId = id, Engine = "redis", CacheNodeType = "cache.t3.micro", NumCacheNodes = 1 };
        await AwsAssert.ErrorCode("InvalidParameterValue", () => ec.CreateCacheClusterAsync(Cluster("r" + new string('x', 50))), 400);
        await AwsAssert.ErrorCode("InvalidParameterValue", () => ec.CreateCacheClusterAsync(Cluster("redis--a")), 400);
        await AwsAssert.ErrorCode("InvalidParameterValue", () => ec.CreateCacheClusterAsync(Cluster("0redis")), 400);
        await AwsAssert.ErrorCode("InvalidParameterValue", () => ec.CreateReplicationGroupAsync(new ElastiCache.CreateReplicationGroupMessage
        {
            ReplicationGroupId = "g" + new string('x', 40),
            ReplicationGroupDescription = "ops",
        }), 400);
        ElastiCache.CreateReplicationGroupMessage Secured(string token) => new()
        {
            ReplicationGroupId = LocalCloudFixture.Unique("rg"),
            ReplicationGroupDescription = "ops",
            TransitEncryptionEnabled = true,
            AuthToken = token,
        };
        await AwsAssert.ErrorCode("InvalidParameterValue", () => ec.CreateReplicationGroupAsync(Secured("too-short")), 400);
        await AwsAssert.ErrorCode("InvalidParameterValue", () => ec.CreateReplicationGroupAsync(Secured("sixteen-or-more-but-has-@")), 400);

        var mixed = "Redis-" + Guid.NewGuid().ToString("N")[..8];
        var created = await ec.CreateCacheClusterAsync(Cluster(mixed));
        Assert.Equal(mixed.ToLowerInvariant(), created.CacheCluster!.CacheClusterId);
        var found = await ec.DescribeCacheClustersAsync(new ElastiCache.DescribeCacheClustersMessage { CacheClusterId = mixed });
        Assert.Equal(mixed.ToLowerInvariant(), found.CacheClusters!.Single().CacheClusterId);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Upper-case")]
    [InlineData("double__underscore")]
    [InlineData("trailing/")]
    [InlineData("-leading")]
    public async Task Ecr_refuses_repository_names_outside_the_pattern(string name)
    {
        var e = await AwsAssert.ErrorCode("InvalidParameterException",
            () => new Ecr.EcrClient(cloud.Connection).CreateRepositoryAsync(new Ecr.CreateRepositoryRequest { RepositoryName = name }), 400);
        Assert.Contains("repositoryName", e.Message);
    }

    [Fact]
    public async Task Ecr_accepts_namespaced_repository_names()
    {
        var name = $"iotile/{Guid.NewGuid():N}.worker_v2";
        var repo = await new Ecr.EcrClient(cloud.Connection).CreateRepositoryAsync(new Ecr.CreateRepositoryRequest { RepositoryName = name });
        Assert.Equal(name, repo.Repository!.RepositoryName);
    }

    [Theory]
    [InlineData("ab", "Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3")]
    [InlineData("bad name!", "Value 'bad name!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")]
    public async Task DynamoDb_refuses_table_names_outside_the_rules_with_aws_message(string name, string message)
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(cloud.Connection);
        var e = await DynamoError("ValidationException", () => dynamo.CreateTableAsync(Table(name)));
        Assert.Equal("1 validation error detected: " + message, e.Message);
        var (code, _, error) = await cloud.Cli("dynamodb", "describe-table", "--table-name", "bad name!");
        Assert.NotEqual(0, code);
        Assert.Contains("ValidationException", error);
    }

    [Fact]
    public async Task DynamoDb_refuses_index_names_outside_the_rules()
    {
        using var dynamo = AwsConnectionFactory.CreateDynamoDb(cloud.Connection);
        var request = Table(LocalCloudFixture.Unique("tbl"));
        request.GlobalSecondaryIndexes = [new GlobalSecondaryIndex
        {
            IndexName = new string('x', 2), KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
        }];
        var e = await DynamoError("ValidationException", () => dynamo.CreateTableAsync(request));
        Assert.Contains("indexName", e.Message);
    }

    /// <summary>The official DynamoDB client throws its own subclass of AmazonServiceException.</summary>
    static async Task<Amazon.Runtime.AmazonServiceException> DynamoError(string code, Func<Task> call)
    {
        var e = await Assert.ThrowsAnyAsync<Amazon.Runtime.AmazonServiceException>(call);
        Assert.Equal((code, 400), (e.ErrorCode, (int)e.StatusCode));
        return e;
    }

    static CreateTableRequest Table(string name) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
        AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
    };
}
