using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sns;

internal sealed partial class SnsService
{
    JsonNode? CreateTopic(JsonObject i, RequestContext c) => Write(() =>
    {
        var name = Required(i, "Name");
        if (!State.Topics.TryGetValue(name, out var topic))
            State.Topics[name] = topic = new SnsTopic { Name = name };
        foreach (var (k, v) in (i["Attributes"] as JsonObject) ?? []) topic.Attributes[k] = v?.ToString() ?? "";
        MergeTags(topic.Tags, i["Tags"]);
        return new JsonObject { ["TopicArn"] = c.Arn("sns", name) };
    });

    JsonNode? ListTopics(JsonObject i, RequestContext c) => Read(() =>
        Paginate(i, State.Topics.Keys.Select(n => (JsonNode?)new JsonObject { ["TopicArn"] = c.Arn("sns", n) }), "Topics", "NextToken", "MaxItems", 100));

    JsonNode? DeleteTopic(JsonObject i, RequestContext c) => Write(() =>
    {
        State.Topics.Remove(Tail(Required(i, "TopicArn")));
        return new JsonObject();
    });

    JsonNode? GetTopicAttributes(JsonObject i, RequestContext c) => Read(() =>
    {
        var topic = FindTopic(Required(i, "TopicArn"));
        var all = new Dictionary<string, string>(topic.Attributes)
        {
            ["TopicArn"] = c.Arn("sns", topic.Name),
            ["Owner"] = c.Account,
            ["SubscriptionsConfirmed"] = topic.Subscriptions.Count.ToString(),
            ["SubscriptionsPending"] = "0",
            ["SubscriptionsDeleted"] = "0",
        };
        return new JsonObject { ["Attributes"] = new JsonObject(all.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))) };
    });

    JsonNode? SetTopicAttributes(JsonObject i, RequestContext c) => Write(() =>
    {
        FindTopic(Required(i, "TopicArn")).Attributes[Required(i, "AttributeName")] = Optional(i, "AttributeValue") ?? "";
        return new JsonObject();
    });

    SnsTopic FindTopic(string arn) => State.Topics.TryGetValue(Tail(arn), out var t) ? t : throw NotFound("Topic");
}
