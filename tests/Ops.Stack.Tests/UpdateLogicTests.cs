using Ops.Aws.Ecs;
using Ops.Stack.Rollout;

namespace Ops.Stack.Tests;

/// <summary>update-ecs's decision on each look at the service, as pure logic: done, failed (and how), timed out, or waiting.</summary>
public sealed class UpdateLogicTests
{
    const string From = "arn:aws:ecs:us-east-1:123456789012:task-definition/iotile-worker-dev:6";
    const string To = "arn:aws:ecs:us-east-1:123456789012:task-definition/iotile-worker-dev:7";
    static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    static Deployment Deployment(string status, string taskDefinition, int running, string? rollout = null, string? reason = null) =>
        new() { Status = status, TaskDefinition = taskDefinition, RunningCount = running, RolloutState = rollout, RolloutStateReason = reason };

    static Service Service(int desired, params Deployment[] deployments) => new() { DesiredCount = desired, Deployments = [.. deployments] };

    static UpdateVerdict Judge(Service service, int failed = 0, DateTimeOffset? now = null, DateTimeOffset? steadySince = null) =>
        UpdateVerdict.Of(service, To, From, failed, now ?? T0, steadySince, Settle, T0 + Timeout, Timeout);

    [Fact]
    public void Old_and_new_side_by_side_is_waiting()
    {
        var verdict = Judge(Service(4, Deployment("PRIMARY", To, 2, "IN_PROGRESS"), Deployment("ACTIVE", From, 2)));
        Assert.Equal((UpdateOutcome.Waiting, null, 2, 4), (verdict.Outcome, verdict.SteadySince, verdict.Running, verdict.Desired));
    }

    [Fact]
    public void The_new_revision_alone_at_its_desired_count_is_done_only_after_the_settle_time()
    {
        var alone = Service(3, Deployment("PRIMARY", To, 3, "COMPLETED"));
        var first = Judge(alone);
        Assert.Equal((UpdateOutcome.Waiting, (DateTimeOffset?)T0), (first.Outcome, first.SteadySince));
        Assert.Equal(UpdateOutcome.Waiting, Judge(alone, now: T0 + Settle / 2, steadySince: first.SteadySince).Outcome);
        Assert.Equal(UpdateOutcome.Done, Judge(alone, now: T0 + Settle, steadySince: first.SteadySince).Outcome);

        // A task that exits right after starting breaks the streak: it starts again from zero.
        var dip = Judge(Service(3, Deployment("PRIMARY", To, 2, "IN_PROGRESS")), now: T0 + Settle / 2, steadySince: first.SteadySince);
        Assert.Equal((UpdateOutcome.Waiting, (DateTimeOffset?)null), (dip.Outcome, dip.SteadySince));
    }

    [Fact]
    public void The_timeout_with_the_new_revision_short_of_its_count_is_a_failure_naming_the_count()
    {
        var verdict = Judge(Service(4, Deployment("PRIMARY", To, 1, "IN_PROGRESS"), Deployment("ACTIVE", From, 3)), now: T0 + Timeout);
        Assert.Equal(UpdateOutcome.TimedOut, verdict.Outcome);
        Assert.Equal("iotile-worker-dev:7 did not reach 4 running task(s) within 10m (1/4 running)", verdict.What);
        Assert.Equal(UpdateOutcome.Waiting, Judge(Service(4, Deployment("PRIMARY", To, 1)), now: T0 + Timeout - TimeSpan.FromSeconds(1)).Outcome);
    }

    [Fact]
    public void The_circuit_breaker_putting_the_old_revision_back_is_a_failure_ECS_already_rolled_back()
    {
        var verdict = Judge(Service(2, Deployment("PRIMARY", From, 2, "COMPLETED"), Deployment("ACTIVE", To, 0, "FAILED", "tasks failed to start")));
        Assert.Equal(UpdateOutcome.RolledBackByEcs, verdict.Outcome);
        Assert.Equal("the deployment circuit breaker rolled back iotile-worker-dev:7 (tasks failed to start)", verdict.What);
    }

    [Fact]
    public void A_failed_deployment_and_enough_failed_tasks_are_failures()
    {
        var failed = Judge(Service(2, Deployment("PRIMARY", To, 0, "FAILED", "circuit breaker")));
        Assert.Equal((UpdateOutcome.DeploymentFailed, "the deployment of iotile-worker-dev:7 failed (circuit breaker)"), (failed.Outcome, failed.What));

        var service = Service(10, Deployment("PRIMARY", To, 4, "IN_PROGRESS"), Deployment("ACTIVE", From, 6));
        Assert.Equal(5, WorkerUpdater.FailureThreshold(10));
        Assert.Equal(UpdateOutcome.Waiting, Judge(service, failed: 4).Outcome);
        var stopped = Judge(service, failed: 5);
        Assert.Equal((UpdateOutcome.TasksFailed, "5 task(s) of iotile-worker-dev:7 stopped on their own"), (stopped.Outcome, stopped.What));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(10, 5)]
    [InlineData(1000, 200)]
    public void The_failure_threshold_is_half_the_desired_count_at_least_3_at_most_200(int desired, int threshold) =>
        Assert.Equal(threshold, WorkerUpdater.FailureThreshold(desired));
}
