using System.Collections.Concurrent;

namespace Ops.Targets.Tests;

/// <summary>After/Before are ordering only, but the executor must honour them even when parallelism would let the targets overlap.</summary>
public class OrderingTests
{
    /// <summary>Two pairs of independent targets joined only by an ordering edge; each body takes long enough to overlap if started together.</summary>
    sealed class OrderedBuild : BuildBase
    {
        readonly ConcurrentQueue<string> _events = new();
        public List<string> Events => _events.ToList();

        async Task Body(string name, CancellationToken ct)
        {
            _events.Enqueue($"{name} started");
            await Task.Delay(TimeSpan.FromMilliseconds(400), ct);
            _events.Enqueue($"{name} finished");
        }

        public Target First => _ => _.Executes(ct => Body("first", ct));
        public Target Second => _ => _.After(First).Executes(ct => Body("second", ct));
        public Target Early => _ => _.Before(Late).Executes(ct => Body("early", ct));
        public Target Late => _ => _.Executes(ct => Body("late", ct));
    }

    [Theory]
    [InlineData("second first", "first", "second")]
    [InlineData("late early", "early", "late")]
    public async Task A_target_ordered_after_another_starts_only_once_that_one_finished_even_in_parallel(string targets, string before, string after)
    {
        var build = new OrderedBuild();
        var run = await Run.Build(build, $"{targets} --parallel 4");
        Assert.True(run.ExitCode == 0, run.Out + run.Err);
        var events = build.Events;
        Assert.True(events.IndexOf($"{before} finished") >= 0 && events.IndexOf($"{before} finished") < events.IndexOf($"{after} started"),
            $"'{after}' must start after '{before}' finished; saw: {string.Join(", ", events)}");
    }
}
