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

        Assert.Equal(1, await once.GetAsync(Read, CancellationToken.None));
        Assert.Equal(1, await once.GetAsync(Read, CancellationToken.None));
        Assert.Equal(1, reads);

        once.Forget();
        Assert.Equal(2, await once.GetAsync(Read, CancellationToken.None));
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
        Parallel.For(0, callers.Length, i => callers[i] = once.GetAsync(Read, CancellationToken.None));
        Assert.DoesNotContain(callers, c => c.IsCompleted);
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

        await Assert.ThrowsAsync<TimeoutException>(() => once.GetAsync(Read, CancellationToken.None));
        Assert.Equal("vpc-1", await once.GetAsync(Read, CancellationToken.None));
        Assert.Equal("vpc-1", await once.GetAsync(Read, CancellationToken.None));
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task A_read_cancelled_by_its_first_caller_is_read_again_for_a_caller_not_cancelled()
    {
        var reads = 0;
        using var first = new CancellationTokenSource();
        var once = new ReadOnce<string>();
        // The first read runs until its caller's token is cancelled; the second answers at once.
        Task<string> Read() => Interlocked.Increment(ref reads) == 1 ? Task.Delay(Timeout.Infinite, first.Token).ContinueWith(_ => "never",
            first.Token, TaskContinuationOptions.None, TaskScheduler.Default) : Task.FromResult("account-2");

        var cancelled = once.GetAsync(Read, first.Token);
        var other = once.GetAsync(Read, CancellationToken.None);
        await first.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal("account-2", await other);
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task A_change_forgets_what_it_can_alter_and_keeps_the_account_and_the_vpc()
    {
        var reads = new StageReads();
        var count = 0;
        Task<string> Read() => Task.FromResult($"read {Interlocked.Increment(ref count)}");
        Task<IReadOnlyDictionary<string, string>> ReadMap() =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["n"] = $"{Interlocked.Increment(ref count)}" });
        var account = await reads.Account.GetAsync(Read, CancellationToken.None);
        var vpc = await reads.Vpc.GetAsync(Read, CancellationToken.None);
        var secrets = await reads.Secrets.GetAsync(ReadMap, CancellationToken.None);
        var topics = await reads.Topics.GetAsync(ReadMap, CancellationToken.None);

        reads.ForgetChangeable();

        Assert.Equal(account, await reads.Account.GetAsync(Read, CancellationToken.None));
        Assert.Equal(vpc, await reads.Vpc.GetAsync(Read, CancellationToken.None));
        Assert.NotEqual(secrets["n"], (await reads.Secrets.GetAsync(ReadMap, CancellationToken.None))["n"]);
        Assert.NotEqual(topics["n"], (await reads.Topics.GetAsync(ReadMap, CancellationToken.None))["n"]);
    }
}
