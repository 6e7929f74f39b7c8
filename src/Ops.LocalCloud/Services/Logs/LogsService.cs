using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Logs;

/// <summary>
/// CloudWatch Logs: groups, streams, retention, events in and out (task logs). Handlers are grouped by
/// resource in the partial files <c>LogsService.*.cs</c>.
/// </summary>
internal sealed partial class LogsService : ServiceHandler<LogsState>
{
    public override string Name => "logs";

    public LogsService(StateStore store) : base(store)
    {
        On("CreateLogGroup", CreateLogGroup);
        On("DescribeLogGroups", DescribeLogGroups);
        On("DeleteLogGroup", DeleteLogGroup);
        On("PutRetentionPolicy", PutRetentionPolicy);

        On("CreateLogStream", CreateLogStream);
        On("DescribeLogStreams", DescribeLogStreams);

        On("PutLogEvents", PutLogEvents);
        On("GetLogEvents", GetLogEvents);
        On("FilterLogEvents", FilterLogEvents);
    }

    static AwsError NotFound(string what) => new("ResourceNotFoundException", $"The specified {what} does not exist.");
}
