namespace Ops.Stack.Model;

/// <summary>
/// The built-in stack: IOTile's names and shape (iotile-worker-{stage}, iotile-cloud-server, 6 workers in prod,
/// Project=IOTileCloud) with current instance types, for the stages dev, stage and prod. A stack file overrides any of it.
/// </summary>
public static class StackDefaults
{
    /// <summary>The stages the built-in stack defines.</summary>
    public static IReadOnlyList<string> Stages { get; } = ["dev", "stage", "prod"];

    /// <summary>The built-in stack of <paramref name="stage"/> (any name; only the counts differ for prod).</summary>
    public static StageStack For(string stage) => For(stage, stage);

    /// <summary>
    /// The built-in stack of <paramref name="stage"/>, sized like <paramref name="sizedLike"/> (prod: 6 workers on 3
    /// m7i.large; stage: 2 workers; anything else: 1): what a stack file's <c>like: prod</c> starts from.
    /// </summary>
    public static StageStack For(string stage, string sizedLike)
    {
        var prod = sizedLike == "prod";
        return new StageStack
        {
            Stage = stage,
            Project = "IOTileCloud",
            Tags = new Dictionary<string, string> { ["Project"] = "IOTileCloud", ["Stage"] = stage, ["ManagedBy"] = "Ops" },
            Queues = new QueuesSpec(
                new QueueSpec { Name = $"iotile-worker-{stage}", DeadLetterName = $"iotile-worker-{stage}-dlq" },
                new QueueSpec { Name = $"iotile-report-{stage}", DeadLetterName = $"iotile-report-{stage}-dlq" }),
            WorkerLogTable = $"iotile-worker-logs-{stage}",
            Repository = new RepositorySpec { Name = "iotile-cloud-server" },
            Image = new ImageSpec
            {
                Context = "workers",
                Dockerfile = "workers/Dockerfile",
                Prepare = ["dotnet", "publish", "src/Ops.Worker/Ops.Worker.csproj", "-c", "Release", "-o", "workers/app", "--nologo", "-v", "quiet"],
            },
            Worker = new WorkerSpec(),
            Ecs = new EcsSpec
            {
                Cluster = $"iotile-{stage}",
                Service = $"iotile-worker-{stage}",
                TaskFamily = $"iotile-worker-{stage}",
                DesiredCount = prod ? 6 : sizedLike == "stage" ? 2 : 1,
                Memory = prod ? 1024 : 512,
                LogGroup = $"/ecs/iotile-worker-{stage}",
            },
            Instances = new InstancesSpec
            {
                InstanceType = prod ? "m7i.large" : "t3.medium",
                Count = prod ? 3 : 1,
                SecurityGroup = $"iotile-ecs-{stage}",
            },
            Local = new LocalSpec
            {
                Command = ["dotnet", ".nuke/temp/worker/Ops.Worker.dll"],
                Prepare = ["dotnet", "publish", "src/Ops.Worker/Ops.Worker.csproj", "-c", "Release", "-o", ".nuke/temp/worker", "--nologo", "-v", "quiet"],
            },
            Rollout = new RolloutSpec { Table = $"iotile-rollouts-{stage}" },
        };
    }
}
