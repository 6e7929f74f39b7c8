namespace Ops.Worker.Tests;

public sealed class WorkerTimestampsTests
{
    [Fact]
    public void Timestamps_use_PynamoDBs_format_and_never_repeat_within_a_worker()
    {
        var clock = new ManualClock();
        var timestamps = new WorkerTimestamps(clock);
        var first = timestamps.Next();
        var second = timestamps.Next();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+0000$", first);
        Assert.True(string.CompareOrdinal(first, second) < 0, $"{first} then {second}");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(string.CompareOrdinal(second, timestamps.Next()) < 0);
    }
}
