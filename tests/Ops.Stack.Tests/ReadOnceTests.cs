using Ops.Stack.Core;

namespace Ops.Stack.Tests;

/// <summary>The run's shared reads (<see cref="ReadOnce{T}"/>): one read for every caller until forgotten; a failure is not kept.</summary>
public sealed class ReadOnceTests
{
    [Fact]
    public async Task Callers_share_one_read_until_it_is_forgotten()
    {
        var reads = 0;
        var once = new ReadOnce<int>();
        Task<int> Read() => Task.FromResult(Interlocked.Increment(ref reads));

        Assert.Equal(1, await once.GetAsync(Read));
        Assert.Equal(1, await once.GetAsync(Read));
        Assert.Equal(1, reads);

        once.Forget();
        Assert.Equal(2, await once.GetAsync(Read));
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task Concurrent_callers_await_the_read_in_flight()
    {
        var reads = 0;
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var once = new ReadOnce<int>();
        Task<int> Read()
        {
            Interlocked.Increment(ref reads);
            return gate.Task;
        }

        var callers = new Task<int>[8];
        Parallel.For(0, callers.Length, i => callers[i] = once.GetAsync(Read));
        Assert.False(callers[0].IsCompleted);
        Assert.All(callers, c => Assert.Same(callers[0], c));
        gate.SetResult(42);
        Assert.All(await Task.WhenAll(callers), v => Assert.Equal(42, v));
        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task A_failed_read_is_read_again_by_the_next_caller()
    {
        var reads = 0;
        var once = new ReadOnce<string>();
        Task<string> Read() => ++reads == 1 ? Task.FromException<string>(new TimeoutException("first read fails")) : Task.FromResult("vpc-1");

        await Assert.ThrowsAsync<TimeoutException>(() => once.GetAsync(Read));
        Assert.Equal("vpc-1", await once.GetAsync(Read));
        Assert.Equal("vpc-1", await once.GetAsync(Read));
        Assert.Equal(2, reads);
    }

    [Fact]
    public void A_change_forgets_what_it_can_alter_and_keeps_the_account_and_the_vpc()
    {
        var reads = new StageReads();
        var count = 0;
        Task<string> Read() => Task.FromResult($"read {++count}");
        Task<IReadOnlyDictionary<string, string>> ReadMap() => Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["n"] = $"{++count}" });
        var account = reads.Account.GetAsync(Read);
        var vpc = reads.Vpc.GetAsync(Read);
        var secrets = reads.Secrets.GetAsync(ReadMap);
        var topics = reads.Topics.GetAsync(ReadMap);

        reads.ForgetChangeable();

        Assert.Same(account, reads.Account.GetAsync(Read));
        Assert.Same(vpc, reads.Vpc.GetAsync(Read));
        Assert.NotSame(secrets, reads.Secrets.GetAsync(ReadMap));
        Assert.NotSame(topics, reads.Topics.GetAsync(ReadMap));
    }
}
