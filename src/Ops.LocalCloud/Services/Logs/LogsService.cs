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

    long? _lastEventId; // the highest event id given out or found in the state; read from the state on first use

    static AwsError NotFound(string what) => new("ResourceNotFoundException", $"The specified {what} does not exist.");

    /// <summary>A new event id, higher than any in the state (call inside the gate).</summary>
    string NextEventId()
    {
        _lastEventId ??= State.Groups.Values.SelectMany(g => g.Streams.Values).SelectMany(events => events)
            .Select(e => long.TryParse(e.Id, out var id) ? id : 0).DefaultIfEmpty(0).Max();
        _lastEventId++;
        return _lastEventId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
