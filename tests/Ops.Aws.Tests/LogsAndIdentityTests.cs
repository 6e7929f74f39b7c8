using Ops.Aws.CloudWatchLogs;
using Ops.Aws.Sts;

namespace Ops.Aws.Tests;

/// <summary>CloudWatch Logs (task logs) and STS (account id for ECR URIs).</summary>
public abstract class LogsAndIdentityTests(ITestCloud moto)
{
    readonly CloudWatchLogsClient _logs = new(moto.Connection);

    [Fact]
    public async Task Log_groups_streams_and_events_round_trip()
    {
        var group = "/ecs/" + MotoServer.Unique("iotile-worker");
        await _logs.CreateLogGroupAsync(new CreateLogGroupRequest { LogGroupName = group, Tags = new() { ["Stage"] = "dev" } });
        await _logs.PutRetentionPolicyAsync(new PutRetentionPolicyRequest { LogGroupName = group, RetentionInDays = 14 });
        await _logs.CreateLogStreamAsync(new CreateLogStreamRequest { LogGroupName = group, LogStreamName = "worker/task-1" });
        Assert.Single((await _logs.DescribeLogStreamsAsync(new DescribeLogStreamsRequest { LogGroupName = group })).LogStreams!);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _logs.PutLogEventsAsync(new PutLogEventsRequest
        {
            LogGroupName = group,
            LogStreamName = "worker/task-1",
            LogEvents = [new InputLogEvent { Timestamp = now, Message = "drain acknowledged" }, new InputLogEvent { Timestamp = now + 1, Message = "ShutDown-0" }],
        });
        var events = await _logs.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = group, LogStreamName = "worker/task-1", StartFromHead = true });
        Assert.Equal(["drain acknowledged", "ShutDown-0"], events.Events!.Select(e => e.Message!));
        var filtered = await _logs.FilterLogEventsAsync(new FilterLogEventsRequest { LogGroupName = group, FilterPattern = "ShutDown" });
        Assert.Equal("ShutDown-0", Assert.Single(filtered.Events!).Message);

        await _logs.DeleteLogGroupAsync(new DeleteLogGroupRequest { LogGroupName = group });
        await AwsAssert.ErrorCode("ResourceNotFoundException", () => _logs.DeleteLogGroupAsync(new DeleteLogGroupRequest { LogGroupName = group }));
    }

    [Fact]
    public async Task DescribeLogGroups_follows_nextToken_across_pages()
    {
        var prefix = "/" + MotoServer.Unique("paged");
        for (var i = 0; i < 5; i++) await _logs.CreateLogGroupAsync(new CreateLogGroupRequest { LogGroupName = $"{prefix}/{i}" });
        var pages = await _logs.DescribeLogGroupsPagesAsync(new DescribeLogGroupsRequest { LogGroupNamePrefix = prefix, Limit = 2 }).ToListAsync();
        Assert.Equal(3, pages.Count);
        Assert.Equal(5, (await _logs.DescribeLogGroupsItemsAsync(new DescribeLogGroupsRequest { LogGroupNamePrefix = prefix, Limit = 2 }).ToListAsync()).Count);
    }

    [Fact]
    public async Task The_caller_identity_names_the_account()
    {
        var me = await new StsClient(moto.Connection).GetCallerIdentityAsync();
        Assert.Equal("123456789012", me.Account);
        Assert.StartsWith("arn:aws:", me.Arn);
    }
}

[Collection(MotoCollection.Name)]
public sealed class LogsAndIdentityTestsOnMoto(MotoServer cloud) : LogsAndIdentityTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class LogsAndIdentityTestsOnLocalCloud(LocalCloudTestServer cloud) : LogsAndIdentityTests(cloud);
