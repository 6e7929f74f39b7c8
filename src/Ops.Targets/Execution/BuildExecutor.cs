using System.Diagnostics;
using Ops.Targets.Output;
using Ops.Targets.Planning;

namespace Ops.Targets.Execution;

/// <summary>
/// Runs a plan: a target starts once everything before it in the plan has finished, at most
/// <c>parallel</c> at a time. After a failure (unless the failed target proceeds after failure) or a
/// cancellation, nothing new starts except assured targets.
/// </summary>
internal sealed class BuildExecutor(BuildConsole console, int parallel, Verbosity verbosity = Verbosity.Normal, Func<Exception, Exception>? explain = null)
{
    public async Task<IReadOnlyList<TargetResult>> RunAsync(ExecutionPlan plan, CancellationToken cancel, CancellationToken hardCancel)
    {
        var results = new Dictionary<TargetNode, TargetResult>();
        var pending = plan.Entries.ToList();
        var running = new Dictionary<Task<TargetResult>, TargetNode>();
        var halted = false;

        void Record(PlanEntry entry, TargetResult result)
        {
            results[entry.Node] = result;
            pending.Remove(entry);
        }

        while (pending.Count > 0 || running.Count > 0)
        {
            var progressed = true;
            while (progressed)
            {
                progressed = false;
                foreach (var entry in pending.ToList())
                {
                    var node = entry.Node;
                    if (plan.PredecessorsInPlan(node).Any(p => !results.ContainsKey(p))) continue;

                    if (Decide(entry, results, halted, cancel) is { } decided)
                    {
                        Record(entry, decided);
                        if (decided.Status == ExecutionStatus.Skipped)
                            console.Write(node.Name, LogLevel.Info, $"skipped: {decided.Reason}");
                        progressed = true;
                        continue;
                    }
                    if (running.Count >= parallel) continue;

                    var token = node.Definition.Assured ? hardCancel : cancel;
                    running[Task.Run(() => ExecuteAsync(node, token))] = node;
                    pending.Remove(entry);
                    progressed = true;
                }
            }

            console.SetProgressSummary($"[{results.Count}/{plan.Entries.Count}]");
            if (running.Count == 0) break;

            var done = await Task.WhenAny(running.Keys);
            var finished = running[done];
            running.Remove(done);
            var result = await done;
            results[finished] = result;
            if (result.Status == ExecutionStatus.Failed && !finished.Definition.Proceed) halted = true;
        }

        return plan.Entries.Select(e => results[e.Node]).ToList();
    }

    /// <summary>A final result when the target must not run now (skipped, not run, cancelled); null when it should run.</summary>
    TargetResult? Decide(PlanEntry entry, Dictionary<TargetNode, TargetResult> results, bool halted, CancellationToken cancel)
    {
        var node = entry.Node;
        if (entry.SkipReason != null)
            return new TargetResult(node.Name, ExecutionStatus.Skipped, TimeSpan.Zero, entry.SkipReason);

        if (!node.Definition.Assured)
        {
            if (cancel.IsCancellationRequested)
                return new TargetResult(node.Name, ExecutionStatus.Cancelled, TimeSpan.Zero, "build cancelled before it started");
            var blocker = node.Dependencies
                .FirstOrDefault(p => results[p].Status is not (ExecutionStatus.Succeeded or ExecutionStatus.Skipped));
            if (blocker != null)
                return new TargetResult(node.Name, ExecutionStatus.NotRun, TimeSpan.Zero, $"dependency {blocker.Name} {Describe(results[blocker].Status)}");
            if (entry.OnlyTriggered)
            {
                // Brought in only by triggers: it runs if any trigger in the plan succeeded.
                var triggers = node.TriggeredBy.Where(results.ContainsKey).ToList();
                if (!triggers.Any(t => results[t].Status == ExecutionStatus.Succeeded))
                {
                    var failed = triggers.FirstOrDefault(t => results[t].Status != ExecutionStatus.Skipped);
                    return failed != null
                        ? new TargetResult(node.Name, ExecutionStatus.NotRun, TimeSpan.Zero, $"trigger {failed.Name} {Describe(results[failed].Status)}")
                        : new TargetResult(node.Name, ExecutionStatus.Skipped, TimeSpan.Zero, "no triggering target ran");
                }
            }
            if (halted)
                return new TargetResult(node.Name, ExecutionStatus.NotRun, TimeSpan.Zero, "an earlier target failed");
        }

        foreach (var condition in node.Definition.DynamicConditions)
        {
            bool ok;
            try { ok = condition.Evaluate(); }
            catch (Exception e)
            {
                return new TargetResult(node.Name, ExecutionStatus.Failed, TimeSpan.Zero, console.Redactor.Redact($"condition '{condition.Text}' threw {Describe(e)}"));
            }
            if (!ok) return new TargetResult(node.Name, ExecutionStatus.Skipped, TimeSpan.Zero, $"condition false: {condition.Text}");
        }
        return null;
    }

    static string Describe(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Failed => "failed",
        ExecutionStatus.Cancelled => "was cancelled",
        _ => "did not run",
    };

    async Task<TargetResult> ExecuteAsync(TargetNode node, CancellationToken token)
    {
        BuildConsole.Target = node.Name;
        console.TargetStarted(node.Name);
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var action in node.Definition.Actions)
            {
                token.ThrowIfCancellationRequested();
                await action(token);
            }
            return new TargetResult(node.Name, ExecutionStatus.Succeeded, clock.Elapsed, null);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            console.Write(LogLevel.Warning, "cancelled");
            return new TargetResult(node.Name, ExecutionStatus.Cancelled, clock.Elapsed, "cancelled");
        }
        catch (Exception e)
        {
            var shown = Explain(e);
            var line = shown is UsageException or BuildFailedException ? OneLine(shown.Message) : Describe(e);
            if (verbosity == Verbosity.Verbose) console.Write(LogLevel.Error, shown == e || shown.Message == e.Message ? e.ToString() : $"{line}\n{e}");
            else if (shown is UsageException or BuildFailedException) console.Write(LogLevel.Error, line);
            else console.Write(LogLevel.Error, $"{line} (--verbosity verbose shows the stack trace)");
            return new TargetResult(node.Name, ExecutionStatus.Failed, clock.Elapsed, console.Redactor.Redact(line)) { IsUsageError = shown is UsageException };
        }
        finally
        {
            console.TargetFinished(node.Name);
            BuildConsole.Target = null;
        }
    }

    Exception Explain(Exception e) => explain == null ? e : explain(e);

    /// <summary>One line for an exception nobody explained: its type, and its message when it has one.</summary>
    internal static string Describe(Exception e)
    {
        var message = OneLine(e.Message);
        return message.Length == 0 ? e.GetType().Name : $"{e.GetType().Name}: {message}";
    }

    /// <summary>The first non-empty line of a message, trimmed.</summary>
    static string OneLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
}
