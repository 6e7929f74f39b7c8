using Ops.Aws.Sns;
using Ops.Stack.Core;
using Ops.Stack.Status;

namespace Ops.Stack.Stores;

/// <summary>create-topics: the stage's SNS topics (staff, web, cache notifications), encrypted with SNS's AWS-managed key and tagged.</summary>
public sealed class TopicsProvisioner(StageContext context) : IStatusSource
{
    /// <summary>The key SNS encrypts messages at rest with.</summary>
    public const string KmsKey = "alias/aws/sns";

    readonly SnsClient _sns = new(context.Connection);

    IReadOnlyList<string> Names => [context.Stack.Topics.Staff, context.Stack.Topics.Web, context.Stack.Topics.Cache];

    public async Task<IReadOnlyList<Change>> EnsureAsync(CancellationToken cancellationToken)
    {
        var existing = await ArnsAsync(cancellationToken);
        var changes = new List<Change>();
        foreach (var name in Names)
        {
            var resource = $"sns topic {name}";
            if (!existing.TryGetValue(name, out var arn))
            {
                var change = new Change(resource, "topic", null, $"encrypted with {KmsKey}, tagged");
                changes.Add(change);
                await Mutation.ApplyAsync(context, change, () => _sns.CreateTopicAsync(new CreateTopicInput
                {
                    Name = name,
                    Attributes = new Dictionary<string, string> { ["KmsMasterKeyId"] = KmsKey },
                    Tags = context.Stack.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
                }, cancellationToken));
                continue;
            }
            var key = await KeyAsync(arn, cancellationToken);
            if (key != KmsKey)
            {
                var change = new Change(resource, "KmsMasterKeyId", key ?? "(none)", KmsKey);
                changes.Add(change);
                await Mutation.ApplyAsync(context, change, () => _sns.SetTopicAttributesAsync(new SetTopicAttributesInput
                {
                    TopicArn = arn,
                    AttributeName = "KmsMasterKeyId",
                    AttributeValue = KmsKey,
                }, cancellationToken));
            }
        }
        if (changes.Count == 0) context.Log.Info($"sns topics {string.Join(", ", Names)}: up to date");
        return changes;
    }

    /// <summary>The ARN of topic <paramref name="name"/>, or null when it does not exist (read calls only).</summary>
    public async Task<string?> ArnAsync(string name, CancellationToken cancellationToken) =>
        (await ArnsAsync(cancellationToken)).GetValueOrDefault(name);

    public async Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var existing = await ArnsAsync(cancellationToken);
        var rows = new List<ResourceStatus>();
        foreach (var name in Names)
        {
            if (!existing.TryGetValue(name, out var arn))
            {
                rows.Add(ResourceStatus.Missing("sns-topic", name));
                continue;
            }
            var key = await KeyAsync(arn, cancellationToken);
            IReadOnlyList<string> drift = key == KmsKey ? [] : [$"KmsMasterKeyId: {key ?? "(none)"} → {KmsKey}"];
            rows.Add(new ResourceStatus("sns-topic", name, true, "active", drift.Count == 0, drift));
        }
        return rows;
    }

    async Task<string?> KeyAsync(string arn, CancellationToken ct) =>
        (await _sns.GetTopicAttributesAsync(new GetTopicAttributesInput { TopicArn = arn }, ct)).Attributes?.GetValueOrDefault("KmsMasterKeyId");

    /// <summary>The stage's topics that exist: name → ARN (destroy finds them this way too); listed once per run.</summary>
    internal Task<IReadOnlyDictionary<string, string>> ArnsAsync(CancellationToken ct) => context.Reads.Topics.GetAsync(() => ReadArnsAsync(ct), ct);

    async Task<IReadOnlyDictionary<string, string>> ReadArnsAsync(CancellationToken ct)
    {
        var arns = new Dictionary<string, string>();
        await foreach (var topic in _sns.ListTopicsItemsAsync(new ListTopicsInput(), ct))
            if (topic.TopicArn is { } arn && arn[(arn.LastIndexOf(':') + 1)..] is var name && Names.Contains(name))
                arns[name] = arn;
        return arns;
    }
}
