using Ops.Contracts;
namespace Ops.Worker.Tests;

public sealed class WorkerConfigTests
{
    static Dictionary<string, string> Valid() => new()
    {
        ["OPS_STAGE"] = "dev",
        ["OPS_WORK_QUEUE"] = "iotile-worker-dev",
        ["OPS_WORKER_LOG_TABLE"] = "iotile-worker-logs-dev",
        ["AWS_REGION"] = "us-east-1",
    };

    [Fact]
    public void Defaults_are_one_loop_and_a_20_second_long_poll()
    {
        var config = WorkerConfig.FromEnvironment(Valid());
        Assert.Equal((1, 20, "us-east-1", null), (config.Concurrency, config.WaitSeconds, config.Region, config.EndpointUrl));
    }

    [Theory]
    [InlineData("OPS_WORK_QUEUE", null, "OPS_WORK_QUEUE is not set")]
    [InlineData("OPS_STAGE", "", "OPS_STAGE is not set")]
    [InlineData("OPS_WORKER_LOG_TABLE", null, "OPS_WORKER_LOG_TABLE is not set")]
    [InlineData("OPS_WORK_QUEUE", "https://sqs.us-east-1.amazonaws.com/1/q", "OPS_WORK_QUEUE is a URL")]
    [InlineData("OPS_WORK_QUEUE", "bad name", "OPS_WORK_QUEUE 'bad name' is not an SQS queue name")]
    [InlineData("OPS_WORKER_LOG_TABLE", "x", "OPS_WORKER_LOG_TABLE 'x' is not a DynamoDB table name")]
    [InlineData("OPS_WORKER_CONCURRENCY", "0", "OPS_WORKER_CONCURRENCY '0' is not a whole number from 1 to 64")]
    [InlineData("OPS_WAIT_SECONDS", "21", "OPS_WAIT_SECONDS '21' is not a whole number from 0 to 20")]
    [InlineData("OPS_DRAIN", "kill", "OPS_DRAIN 'kill' is not a drain strategy; set it to kill-ack or task-protection")]
    [InlineData("ECS_AGENT_URI", "/agent", "ECS_AGENT_URI '/agent' is not an http(s) URL")]
    [InlineData("AWS_ENDPOINT_URL", "localhost:4566", "AWS_ENDPOINT_URL 'localhost:4566' is not an http(s) URL")]
    public void A_bad_setting_is_named_in_one_line(string name, string? value, string expected)
    {
        var environment = Valid();
        if (value == null) environment.Remove(name);
        else environment[name] = value;
        var e = Assert.Throws<WorkerConfigException>(() => WorkerConfig.FromEnvironment(environment));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void OPS_DRAIN_chooses_the_strategy_and_defaults_to_kill_ack()
    {
        Assert.Equal(DrainStrategy.KillAck, WorkerConfig.FromEnvironment(Valid()).Drain);
        var environment = Valid();
        environment["OPS_DRAIN"] = "task-protection";
        environment["ECS_AGENT_URI"] = "http://169.254.170.2/api/abc";
        var config = WorkerConfig.FromEnvironment(environment);
        Assert.Equal((DrainStrategy.TaskProtection, "http://169.254.170.2/api/abc"), (config.Drain, config.AgentUri!.ToString()));
        environment["OPS_DRAIN"] = "kill-ack";
        Assert.Equal(DrainStrategy.KillAck, WorkerConfig.FromEnvironment(environment).Drain);
    }

    [Theory]
    [InlineData(30, 1)]
    [InlineData(60, 1)]
    [InlineData(61, 2)]
    [InlineData(43200, 720)]
    [InlineData(0, 1)]
    public void Protection_expires_after_the_visibility_timeout_rounded_up_to_minutes(int visibilitySeconds, int minutes)
    {
        Assert.Equal(minutes, TaskProtection.ExpiryMinutes(visibilitySeconds));
    }

    [Fact]
    public void Protection_is_renewed_a_minute_before_it_expires_or_at_half_of_one_minute()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), TaskProtection.RenewalAfter(1));
        Assert.Equal(TimeSpan.FromMinutes(9), TaskProtection.RenewalAfter(10));
    }

    [Fact]
    public void The_region_comes_from_the_task_arn_when_AWS_REGION_is_unset()
    {
        Assert.Equal("eu-west-1", new WorkerIdentity("abc", "arn:aws:ecs:eu-west-1:123456789012:task/iotile-dev/abc").Region);
        Assert.Null(new WorkerIdentity("host", null).Region);
    }
}
