using System.Text.Json.Nodes;
using Ops.Aws.Lookups;
using Ops.Aws.Sqs;
using Ops.Stack.Core;

namespace Ops.Stack.Fleet;

/// <summary>
/// create-queues: the stage's work and report queues, each with its dead-letter queue, redrive policy, SSE, visibility
/// timeout, retention and tags. An existing queue is compared and its drift corrected with SetQueueAttributes.
/// </summary>
public sealed class QueueProvisioner(StageContext context)
{
    readonly SqsClient _sqs = new(context.Connection);

    /// <summary>Creates or corrects both queue pairs; returns every change made (or, on a dry run, that would be made).</summary>
    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        var stack = context.Stack;
        foreach (var spec in new[] { stack.Queues.Work, stack.Queues.Report })
            if (spec.VisibilityTimeoutSeconds <= stack.Worker.LongestMessageSeconds)
                throw new StackException($"queues: {spec.Name}: visibility-timeout {spec.VisibilityTimeoutSeconds}s must exceed worker.longest-message {stack.Worker.LongestMessageSeconds}s, or a message in progress is delivered twice — raise visibility-timeout.");

        var changes = new List<Change>();
        foreach (var spec in new[] { stack.Queues.Work, stack.Queues.Report })
        {
            var dlqArn = await EnsureQueueAsync(spec.DeadLetterName, new Dictionary<string, string>
            {
                ["MessageRetentionPeriod"] = spec.DeadLetterRetentionSeconds.ToString(),
                ["SqsManagedSseEnabled"] = "true",
            }, changes, cancellationToken);
            await EnsureQueueAsync(spec.Name, new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = spec.VisibilityTimeoutSeconds.ToString(),
                ["MessageRetentionPeriod"] = spec.MessageRetentionSeconds.ToString(),
                ["SqsManagedSseEnabled"] = "true",
                ["RedrivePolicy"] = RedrivePolicy(dlqArn, spec.MaxReceiveCount),
            }, changes, cancellationToken);
        }
        return changes;
    }

    /// <summary>The RedrivePolicy attribute as SQS stores it.</summary>
    internal static string RedrivePolicy(string deadLetterArn, int maxReceiveCount) =>
        new JsonObject { ["deadLetterTargetArn"] = deadLetterArn, ["maxReceiveCount"] = maxReceiveCount }.ToJsonString();

    /// <summary>The queue's ARN (on a dry run for a queue not created yet, a placeholder naming it).</summary>
    async Task<string> EnsureQueueAsync(string name, Dictionary<string, string> wanted, List<Change> changes, CancellationToken ct)
    {
        var url = await FindAsync(name, ct);
        if (url == null)
        {
            var change = new Change($"queue {name}", "queue", null, string.Join(", ", wanted.Where(a => a.Key != "RedrivePolicy").Select(a => $"{a.Key}={a.Value}")));
            changes.Add(change);
            string? arn = null;
            await Mutation.ApplyAsync(context, change, async () =>
            {
                url = (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = wanted, Tags = context.Stack.Tags.ToDictionary() },
                    ct)).QueueUrl!;
                arn = await ArnAsync(url, ct);
            });
            return arn ?? $"(the ARN of {name})";
        }

        var attributes = (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["All"] }, ct)).Attributes ?? [];
        var drift = wanted.Where(w => !Same(w.Key, attributes.GetValueOrDefault(w.Key), w.Value)).ToDictionary(w => w.Key, w => w.Value);
        if (drift.Count > 0)
        {
            var found = drift.Select(d => new Change($"queue {name}", d.Key, attributes.GetValueOrDefault(d.Key) ?? "(unset)", d.Value)).ToList();
            changes.AddRange(found);
            await Mutation.ApplyAsync(context, found,
                () => _sqs.SetQueueAttributesAsync(new SetQueueAttributesRequest { QueueUrl = url, Attributes = drift }, ct));
        }

        var tags = (await _sqs.ListQueueTagsAsync(new ListQueueTagsRequest { QueueUrl = url }, ct)).Tags;
        var tagChanges = await StackTags.EnsureAsync(context, $"queue {name}", tags,
            missing => _sqs.TagQueueAsync(new TagQueueRequest { QueueUrl = url, Tags = missing.ToDictionary() }, ct));
        changes.AddRange(tagChanges);
        if (drift.Count == 0 && tagChanges.Count == 0) context.Log.Info($"queue {name}: up to date");
        return attributes.GetValueOrDefault("QueueArn") ?? await ArnAsync(url, ct);
    }

    /// <summary>The queue's URL, or null when there is no queue of that name (destroy looks queues up this way too).</summary>
    internal Task<string?> FindAsync(string name, CancellationToken ct) => SqsLookup.QueueUrlAsync(_sqs, name, ct);

    async Task<string> ArnAsync(string url, CancellationToken ct) =>
        (await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["QueueArn"] }, ct)).Attributes!["QueueArn"];

    /// <summary>Attribute equality as SQS means it: the redrive policy as JSON (maxReceiveCount may come back as a string).</summary>
    internal static bool Same(string key, string? actual, string wanted)
    {
        if (actual == null) return false;
        if (key != "RedrivePolicy") return actual == wanted;
        try
        {
            var a = JsonNode.Parse(actual)!;
            var w = JsonNode.Parse(wanted)!;
            return a["deadLetterTargetArn"]?.ToString() == w["deadLetterTargetArn"]?.ToString() && a["maxReceiveCount"]?.ToString() == w["maxReceiveCount"]?.ToString();
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
