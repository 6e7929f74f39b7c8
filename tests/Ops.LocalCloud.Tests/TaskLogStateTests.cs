namespace Ops.LocalCloud.Tests;

/// <summary>
/// Task output at rest: each line a task logs costs its own size in the state log (not a snapshot of every line kept),
/// and the lines, in order, survive a restart, with lines logged after it added to them rather than over them.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TaskLogStateTests
{
    static string Padding => new('x', 100);

    [Fact]
    public async Task Task_lines_cost_their_own_size_in_the_state_log_and_survive_a_restart_in_order()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var wal = Path.Combine(cloud.StateDirectory, "wal.log");
        var chatty = await cloud.LocalCommandDefinition("chatty", cloud.Script("chatty.sh", $"for i in $(seq 1 2000); do echo \"line $i {Padding}\"; done\n"));
        var first = await cloud.RunTask(chatty);
        await cloud.WaitFor(first, "STOPPED");
        Assert.Equal(2000, (await cloud.Logs(first)).Count);

        // 2,000 lines of about 110 bytes are kept (220 KB): a task that logs three more lines, with its start and stop,
        // appends well under that. A snapshot of the logs per flush, as before, appended at least all of it.
        var quiet = await cloud.LocalCommandDefinition("quiet", cloud.Script("quiet.sh", "echo one; sleep 0.3; echo two; sleep 0.3; echo three\n"));
        var before = new FileInfo(wal).Length;
        var second = await cloud.RunTask(quiet);
        await cloud.WaitFor(second, "STOPPED");
        Assert.Equal(["one", "two", "three"], await cloud.Logs(second));
        var grown = new FileInfo(wal).Length - before;
        Assert.True(grown < 64 * 1024, $"a task of three lines grew the state log by {grown} bytes while 220 KB of lines are kept");

        await cloud.RestartAsync();
        var lines = await cloud.Logs(first);
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => $"line {i} {Padding}"), lines);
        Assert.Equal(["one", "two", "three"], await cloud.Logs(second));

        // A task after the restart logs to a group whose events came back from the state: its lines join, none replaced.
        var third = await cloud.RunTask(quiet);
        await cloud.WaitFor(third, "STOPPED");
        await cloud.RestartAsync();
        Assert.Equal(2000, (await cloud.Logs(first)).Count);
        Assert.Equal(["one", "two", "three"], await cloud.Logs(second));
        Assert.Equal(["one", "two", "three"], await cloud.Logs(third));
    }
}
