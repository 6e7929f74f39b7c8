using System.Collections.Concurrent;
using Ops.Aws.Ecs;
using Ecr = Ops.Aws.Ecr;
using ElastiCache = Ops.Aws.ElastiCache;
using Rds = Ops.Aws.Rds;

namespace Ops.LocalCloud.Tests;

/// <summary>The seams for real parts behind resources are called where those resources come and go.</summary>
public class BackendSeamTests
{
    sealed class Recorder : ITaskRunner, IDatabaseBackend, ICacheBackend, IRegistryBackend
    {
        public readonly ConcurrentQueue<string> Calls = new();
        public void Started(LocalTask task) => Calls.Enqueue($"started {task.TaskId} {task.ContainerDefinitions[0]!["image"]}");
        public void Stopping(LocalTask task, string reason) => Calls.Enqueue($"stopping {task.TaskId} {reason}");
        public BackendEndpoint? Provision(string instanceId, string engine, string? masterUser, string? masterPassword, string? databaseName)
        {
            Calls.Enqueue($"db {instanceId} {engine} {masterUser} {(masterPassword != null ? "with password" : "no password")}");
            return new BackendEndpoint("127.0.0.1", 55432);
        }
        public void Deprovision(string id, string? keepAs) => Calls.Enqueue($"deprovision {id}");
        public BackendEndpoint? Provision(string id, string? authToken)
        {
            Calls.Enqueue($"cache {id}");
            return new BackendEndpoint("127.0.0.1", 56379);
        }
        public string RepositoryUri(string account, string region, string repository) => $"127.0.0.1:5000/{repository}";
    }

    [Fact]
    public async Task Tasks_databases_caches_and_repositories_reach_their_backends()
    {
        var recorder = new Recorder();
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            AccessKey = TestKeys.OperatorAccessKey,
            SecretKey = TestKeys.OperatorSecretKey,
            Delays = LifecycleDelays.Instant,
            Backends = new LocalBackends { Tasks = recorder, Databases = recorder, Caches = recorder, Registry = recorder },
        });
        var c = TestClouds.Connection(server.Url);

        var ecs = new EcsClient(c);
        await ecs.CreateClusterAsync(new CreateClusterRequest { ClusterName = "dev" });
        await ecs.RegisterContainerInstanceAsync(new RegisterContainerInstanceRequest { Cluster = "dev" });
        var v1 = (await ecs.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionRequest { Family = "w",
            ContainerDefinitions = [new ContainerDefinition { Name = "w", Image = "worker:1", Memory = 128 }] })).TaskDefinition!.TaskDefinitionArn;
        var v2 = (await ecs.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionRequest { Family = "w",
            ContainerDefinitions = [new ContainerDefinition { Name = "w", Image = "worker:2", Memory = 128 }] })).TaskDefinition!.TaskDefinitionArn;
        await ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = "dev", ServiceName = "w", TaskDefinition = v1, DesiredCount = 1 });
        await ecs.UpdateServiceAsync(new UpdateServiceRequest { Cluster = "dev", Service = "w", TaskDefinition = v2 });
        await ecs.DescribeServicesAsync(new DescribeServicesRequest { Cluster = "dev", Services = ["w"] });
        Assert.Contains(recorder.Calls, x => x.StartsWith("started") && x.EndsWith("worker:1"));
        Assert.Contains(recorder.Calls, x => x.StartsWith("started") && x.EndsWith("worker:2"));
        Assert.Contains(recorder.Calls, x => x.StartsWith("stopping") && x.Contains("stopped by deployment"));

        var rds = new Rds.RdsClient(c);
        await rds.CreateDBInstanceAsync(new Rds.CreateDBInstanceMessage { DBInstanceIdentifier = "db", DBInstanceClass = "db.t3.micro", Engine = "postgres", MasterUsername = "iotile",
            MasterUserPassword = "secret-pw" });
        var endpoint = (await rds.DescribeDBInstancesAsync(new Rds.DescribeDBInstancesMessage { DBInstanceIdentifier = "db" })).DBInstances![0].Endpoint!;
        Assert.Equal(("127.0.0.1", 55432), (endpoint.Address, endpoint.Port));
        Assert.Contains("db db postgres iotile with password", recorder.Calls);
        await rds.DeleteDBInstanceAsync(new Rds.DeleteDBInstanceMessage { DBInstanceIdentifier = "db", SkipFinalSnapshot = true });
        await rds.DescribeDBInstancesAsync();
        Assert.Contains("deprovision db", recorder.Calls);

        var cache = new ElastiCache.ElastiCacheClient(c);
        await cache.CreateCacheClusterAsync(new ElastiCache.CreateCacheClusterMessage { CacheClusterId = "redis", Engine = "redis", CacheNodeType = "cache.t3.micro",
            NumCacheNodes = 1 });
        var node = (await cache.DescribeCacheClustersAsync(new ElastiCache.DescribeCacheClustersMessage { CacheClusterId = "redis",
            ShowCacheNodeInfo = true })).CacheClusters![0].CacheNodes![0].Endpoint!;
        Assert.Equal(56379, node.Port);

        var repo = (await new Ecr.EcrClient(c).CreateRepositoryAsync(new Ecr.CreateRepositoryRequest { RepositoryName = "iotile-cloud-server" })).Repository!;
        Assert.Equal("127.0.0.1:5000/iotile-cloud-server", repo.RepositoryUri);
    }
}
