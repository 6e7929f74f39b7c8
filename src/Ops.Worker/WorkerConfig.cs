using System.Text.RegularExpressions;
using Ops.Contracts;

namespace Ops.Worker;

/// <summary>The worker's settings, read from its environment (the task definition sets them; see docs/worker.md).</summary>
internal sealed partial record WorkerConfig
{
    public required string Stage { get; init; }

    /// <summary>The work queue's name; the worker resolves its URL with GetQueueUrl.</summary>
    public required string WorkQueue { get; init; }

    /// <summary>The report queue's name, for handlers that report; null when not set.</summary>
    public string? ReportQueue { get; init; }

    public required string WorkerLogTable { get; init; }

    /// <summary>How many messages this process works on at once (independent receive loops).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>ReceiveMessage's WaitTimeSeconds (long poll), 0–20.</summary>
    public int WaitSeconds { get; init; } = 20;

    /// <summary>AWS_REGION, else AWS_DEFAULT_REGION; null when neither is set (the task ARN may still tell).</summary>
    public string? Region { get; init; }

    /// <summary>AWS_ENDPOINT_URL: an AWS-compatible endpoint for every service (LocalCloud); null on AWS.</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>OPS_DRAIN: kill-ack (default) or task-protection.</summary>
    public DrainStrategy Drain { get; init; } = DrainStrategy.KillAck;

    /// <summary>ECS_AGENT_URI: the agent endpoint serving task-protection/v1/state; null outside ECS.</summary>
    public Uri? AgentUri { get; init; }

    /// <summary>Reads and validates the settings; throws <see cref="WorkerConfigException"/> naming the first bad variable.</summary>
    public static WorkerConfig FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        string? Get(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var stage = Get("OPS_STAGE") ?? throw Missing("OPS_STAGE", "the stage this worker serves, like dev");
        var queue = Get("OPS_WORK_QUEUE") ?? throw Missing("OPS_WORK_QUEUE", "the work queue's name, like iotile-worker-dev");
        if (queue.Contains("://"))
            throw new WorkerConfigException($"OPS_WORK_QUEUE is a URL ({queue}); set it to the queue's name, like iotile-worker-{stage}.");
        if (!QueueName().IsMatch(queue))
            throw new WorkerConfigException($"OPS_WORK_QUEUE '{queue}' is not an SQS queue name (1–80 letters, digits, - and _, optionally ending in .fifo); set it to the work queue's name.");
        var report = Get("OPS_REPORT_QUEUE");
        if (report != null && !QueueName().IsMatch(report))
            throw new WorkerConfigException($"OPS_REPORT_QUEUE '{report}' is not an SQS queue name (1–80 letters, digits, - and _, optionally ending in .fifo); set it to the report queue's name or unset it.");
        var table = Get("OPS_WORKER_LOG_TABLE") ?? throw Missing("OPS_WORKER_LOG_TABLE", "the worker-log DynamoDB table, like iotile-worker-logs-dev");
        if (!TableName().IsMatch(table))
            throw new WorkerConfigException($"OPS_WORKER_LOG_TABLE '{table}' is not a DynamoDB table name (3–255 letters, digits, _ - and .); set it to the worker-log table's name.");

        Uri? endpoint = null;
        if (Get("AWS_ENDPOINT_URL") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out endpoint) || (endpoint.Scheme != "http" && endpoint.Scheme != "https"))
                throw new WorkerConfigException($"AWS_ENDPOINT_URL '{url}' is not an http(s) URL; set it to the endpoint (like http://127.0.0.1:4566) or unset it to use AWS.");
        }

        var drainText = Get("OPS_DRAIN");
        var drain = DrainStrategy.KillAck;
        if (drainText != null && !DrainStrategies.TryParse(drainText, out drain))
            throw new WorkerConfigException($"OPS_DRAIN '{drainText}' is not a drain strategy; set it to {string.Join(" or ", DrainStrategies.Names)} (the stack's worker.drain), or unset it (default {DrainStrategies.KillAck}).");
        Uri? agent = null;
        if (Get("ECS_AGENT_URI") is { } agentText
            && (!Uri.TryCreate(agentText, UriKind.Absolute, out agent) || (agent.Scheme != "http" && agent.Scheme != "https")))
            throw new WorkerConfigException($"ECS_AGENT_URI '{agentText}' is not an http(s) URL; ECS sets it, so unset it outside ECS.");

        return new WorkerConfig
        {
            Drain = drain,
            AgentUri = agent,
            Stage = stage,
            WorkQueue = queue,
            ReportQueue = report,
            WorkerLogTable = table,
            Concurrency = Number(Get("OPS_WORKER_CONCURRENCY"), "OPS_WORKER_CONCURRENCY", 1, 64, 1),
            WaitSeconds = Number(Get("OPS_WAIT_SECONDS"), "OPS_WAIT_SECONDS", 0, 20, 20),
            Region = Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION"),
            EndpointUrl = endpoint,
        };
    }

    static WorkerConfigException Missing(string name, string what) =>
        new($"{name} is not set; set it to {what} (create-ecs puts it in the task definition).");

    static int Number(string? text, string name, int min, int max, int fallback)
    {
        if (text == null) return fallback;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            return n;
        throw new WorkerConfigException($"{name} '{text}' is not a whole number from {min} to {max}; set it in that range or unset it (default {fallback}).");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,80}(\.fifo)?$")]
    private static partial Regex QueueName();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{3,255}$")]
    private static partial Regex TableName();
}
