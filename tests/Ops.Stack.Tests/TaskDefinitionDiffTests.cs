using Ops.Aws.Ecs;
using Ops.Stack.Fleet;

namespace Ops.Stack.Tests;

/// <summary>create-ecs's drift lines: what changed in the worker's container, never the value of a secret-looking variable.</summary>
public class TaskDefinitionDiffTests
{
    static ContainerDefinition Container(params (string Name, string Value)[] environment) => new()
    {
        Name = "worker",
        Image = "repo@sha256:1",
        Essential = true,
        Environment = environment.Select(e => new EcsKeyValuePair { Name = e.Name, Value = e.Value }).ToList(),
    };

    [Fact]
    public void An_environment_change_is_shown_old_to_new_but_a_secret_looking_value_only_as_changed()
    {
        var latest = new TaskDefinition { Cpu = "256", Memory = "512", ContainerDefinitions = [Container(("LOG_LEVEL", "info"), ("DB_PASSWORD", "hunter2-old"))] };
        var changes = TaskDefinitionDiff.Between(latest, Container(("LOG_LEVEL", "debug"), ("DB_PASSWORD", "hunter2-new")), "256", "512");

        Assert.Contains(changes, c => c.Setting == "environment LOG_LEVEL" && c.Old == "info" && c.New == "debug");
        var secret = Assert.Single(changes, c => c.Setting == "environment DB_PASSWORD");
        Assert.Equal(("(old value)", "(new value)"), (secret.Old, secret.New));
        Assert.DoesNotContain(changes, c => $"{c.Old} {c.New}".Contains("hunter2"));
    }

    [Fact]
    public void The_same_container_has_no_changes()
    {
        var latest = new TaskDefinition { Cpu = "256", Memory = "512", ContainerDefinitions = [Container(("API_TOKEN", "t"))] };
        Assert.Empty(TaskDefinitionDiff.Between(latest, Container(("API_TOKEN", "t")), "256", "512"));
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("bridge", null, false)] // AWS reports an EC2 task definition's default network mode as bridge
    [InlineData("awsvpc", "awsvpc", false)]
    [InlineData("bridge", "awsvpc", true)] // EC2 to FARGATE on AWS: a new revision
    [InlineData("awsvpc", null, true)]
    public void A_change_of_network_mode_is_drift_but_the_default_spelled_out_is_not(string? have, string? want, bool drift)
    {
        var latest = new TaskDefinition { Cpu = "256", Memory = "512", NetworkMode = have, ContainerDefinitions = [Container()] };
        var changes = TaskDefinitionDiff.Between(latest, Container(), "256", "512", networkMode: want);
        Assert.Equal(drift, changes.Any(c => c.Setting == "network mode"));
        Assert.Equal(drift ? 1 : 0, changes.Count);
    }
}
