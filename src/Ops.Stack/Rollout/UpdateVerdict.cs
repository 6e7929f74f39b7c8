using Ops.Aws.Ecs;

namespace Ops.Stack.Rollout;

/// <summary>
/// The update's decision rules as pure logic over one look at the service: whether the new revision is done, failed
/// (and how), timed out, or still on its way. <see cref="WorkerUpdater"/> polls, logs and rolls back on it.
/// </summary>
/// <param name="Outcome">What the look decided.</param>
/// <param name="What">The failure in a user's words; null unless it failed.</param>
/// <param name="SteadySince">Since when the new revision has run the desired count alone (carried to the next look).</param>
/// <param name="Running">Tasks of the new revision running.</param>
/// <param name="Desired">The service's desired count.</param>
/// <param name="Threshold">How many failed tasks make the update fail (<see cref="WorkerUpdater.FailureThreshold"/>).</param>
internal sealed record UpdateVerdict(UpdateOutcome Outcome, string? What, DateTimeOffset? SteadySince, int Running, int Desired, int Threshold)
{
    /// <summary>
    /// Judges <paramref name="service"/> as it is at <paramref name="now"/>: updating from <paramref name="from"/> to
    /// <paramref name="to"/>, with <paramref name="failed"/> tasks of the new revision stopped on their own so far.
    /// </summary>
    public static UpdateVerdict Of(Service service, string to, string? from, int failed, DateTimeOffset now, DateTimeOffset? steadySince,
        TimeSpan settle, DateTimeOffset deadline, TimeSpan timeout)
    {
        var deployments = service.Deployments ?? [];
        var primary = deployments.FirstOrDefault(d => d.Status == "PRIMARY");
        var mine = deployments.FirstOrDefault(d => d.TaskDefinition == to);
        var desired = service.DesiredCount ?? 0;
        var running = mine?.RunningCount ?? 0;
        var threshold = WorkerUpdater.FailureThreshold(desired);
        var revision = LiveTask.RevisionOf(to);
        UpdateVerdict Verdict(UpdateOutcome outcome, string? what, DateTimeOffset? steady) => new(outcome, what, steady, running, desired, threshold);

        if (primary?.TaskDefinition != to && primary?.TaskDefinition == from)
        {
            var reason = (mine?.RolloutStateReason ?? primary?.RolloutStateReason) is { } r ? $" ({r})" : "";
            return Verdict(UpdateOutcome.RolledBackByEcs, $"the deployment circuit breaker rolled back {revision}{reason}", null);
        }
        if (mine?.RolloutState == "FAILED")
            return Verdict(UpdateOutcome.DeploymentFailed, $"the deployment of {revision} failed ({mine.RolloutStateReason})", null);
        if (failed >= threshold)
            return Verdict(UpdateOutcome.TasksFailed, $"{failed} task(s) of {revision} stopped on their own", null);
        DateTimeOffset? steady = null;
        if (deployments.Count == 1 && primary?.TaskDefinition == to && running == desired)
        {
            // A worker that exits a second after starting was "running" too: done once it has stayed so for the settle time.
            steady = steadySince ?? now;
            if (now - steady >= settle) return Verdict(UpdateOutcome.Done, null, steady);
        }
        if (now >= deadline)
            return Verdict(UpdateOutcome.TimedOut,
                $"{revision} did not reach {desired} running task(s) within {WorkerDrainer.Format(timeout)} ({running}/{desired} running)", steady);
        return Verdict(UpdateOutcome.Waiting, null, steady);
    }
}
