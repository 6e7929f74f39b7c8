using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sns;

internal sealed partial class SnsService
{
    JsonNode? Subscribe(JsonObject i, RequestContext c) => Write(() =>
    {
        var topic = FindTopic(Required(i, "TopicArn"));
        var protocol = Required(i, "Protocol");
        var endpoint = Optional(i, "Endpoint") ?? "";
        var sub = topic.Subscriptions.FirstOrDefault(s => s.Protocol == protocol && s.Endpoint == endpoint);
        if (sub == null)
        {
            sub = new SnsSubscription { Id = Guid.NewGuid().ToString(), Protocol = protocol, Endpoint = endpoint };
            foreach (var (k, v) in (i["Attributes"] as JsonObject) ?? []) sub.Attributes[k] = v?.ToString() ?? "";
            topic.Subscriptions.Add(sub);
        }
        return new JsonObject { ["SubscriptionArn"] = SubscriptionArn(c, topic, sub) };
    });

    JsonNode? Unsubscribe(JsonObject i, RequestContext c) => Write(() =>
    {
        var (topic, sub) = FindSubscription(Required(i, "SubscriptionArn"));
        topic.Subscriptions.Remove(sub);
        return new JsonObject();
    });

    JsonNode? ListSubscriptions(JsonObject i, RequestContext c) => Read(() =>
        Paginate(i, State.Topics.Values.SelectMany(t => t.Subscriptions.Select(s => (JsonNode?)DescribeSubscription(c, t, s))), "Subscriptions", "NextToken", "MaxItems", 100));

    JsonNode? ListSubscriptionsByTopic(JsonObject i, RequestContext c) => Read(() =>
    {
        var topic = FindTopic(Required(i, "TopicArn"));
        return Paginate(i, topic.Subscriptions.Select(s => (JsonNode?)DescribeSubscription(c, topic, s)), "Subscriptions", "NextToken", "MaxItems", 100);
    });

    JsonNode? GetSubscriptionAttributes(JsonObject i, RequestContext c) => Read(() =>
    {
        var (topic, sub) = FindSubscription(Required(i, "SubscriptionArn"));
        var all = new Dictionary<string, string>(sub.Attributes)
        {
            ["SubscriptionArn"] = SubscriptionArn(c, topic, sub),
            ["TopicArn"] = c.Arn("sns", topic.Name),
            ["Protocol"] = sub.Protocol,
            ["Endpoint"] = sub.Endpoint,
            ["Owner"] = c.Account,
            ["PendingConfirmation"] = "false",
            ["ConfirmationWasAuthenticated"] = "true",
        };
        return new JsonObject { ["Attributes"] = new JsonObject(all.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))) };
    });

    JsonNode? SetSubscriptionAttributes(JsonObject i, RequestContext c) => Write(() =>
    {
        FindSubscription(Required(i, "SubscriptionArn")).Subscription.Attributes[Required(i, "AttributeName")] = Optional(i, "AttributeValue") ?? "";
        return new JsonObject();
    });

    (SnsTopic Topic, SnsSubscription Subscription) FindSubscription(string arn)
    {
        var id = Tail(arn);
        foreach (var t in State.Topics.Values)
            if (t.Subscriptions.FirstOrDefault(s => s.Id == id) is { } s) return (t, s);
        throw NotFound("Subscription");
    }

    static string SubscriptionArn(RequestContext c, SnsTopic t, SnsSubscription s) => c.Arn("sns", $"{t.Name}:{s.Id}");

    static JsonObject DescribeSubscription(RequestContext c, SnsTopic t, SnsSubscription s) => new()
    {
        ["SubscriptionArn"] = SubscriptionArn(c, t, s),
        ["Owner"] = c.Account,
        ["Protocol"] = s.Protocol,
        ["Endpoint"] = s.Endpoint,
        ["TopicArn"] = c.Arn("sns", t.Name),
    };
}
