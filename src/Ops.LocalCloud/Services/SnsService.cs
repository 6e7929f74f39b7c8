using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>SNS: topics, subscriptions, and publish with fan-out to SQS subscriptions (raw or in the SNS envelope).</summary>
internal sealed class SnsService : ServiceHandler<SnsService.Data>
{
    public sealed class Data
    {
        public SortedDictionary<string, Topic> Topics { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed class Topic
    {
        public string Name { get; set; } = "";
        public Dictionary<string, string> Attributes { get; set; } = new();
        public Dictionary<string, string> Tags { get; set; } = new();
        public List<Subscription> Subscriptions { get; set; } = [];
    }

    public sealed class Subscription
    {
        public string Id { get; set; } = "";
        public string Protocol { get; set; } = "";
        public string Endpoint { get; set; } = "";
        public Dictionary<string, string> Attributes { get; set; } = new();
    }

    readonly SqsService _sqs;
    public override string Name => "sns";

    static AwsError NotFound(string what) => new("NotFound", $"{what} does not exist", 404);

    public SnsService(StateStore store, SqsService sqs) : base(store)
    {
        _sqs = sqs;
        On("CreateTopic", (i, c) => Write(() =>
        {
            var name = Required(i, "Name");
            if (!State.Topics.TryGetValue(name, out var topic))
                State.Topics[name] = topic = new Topic { Name = name };
            foreach (var (k, v) in (i["Attributes"] as JsonObject) ?? []) topic.Attributes[k] = v?.ToString() ?? "";
            MergeTags(topic.Tags, i["Tags"]);
            return new JsonObject { ["TopicArn"] = c.Arn("sns", name) };
        }));
        On("ListTopics", (i, c) => Read(() => Paginate(i, State.Topics.Keys.Select(n => (JsonNode?)new JsonObject { ["TopicArn"] = c.Arn("sns", n) }), "Topics", "NextToken", "MaxItems", 100)));
        On("DeleteTopic", (i, _) => Write(() =>
        {
            State.Topics.Remove(Tail(Required(i, "TopicArn")));
            return new JsonObject();
        }));
        On("GetTopicAttributes", (i, c) => Read(() =>
        {
            var topic = FindTopic(Required(i, "TopicArn"));
            var all = new Dictionary<string, string>(topic.Attributes)
            {
                ["TopicArn"] = c.Arn("sns", topic.Name), ["Owner"] = c.Account,
                ["SubscriptionsConfirmed"] = topic.Subscriptions.Count.ToString(), ["SubscriptionsPending"] = "0", ["SubscriptionsDeleted"] = "0",
            };
            return new JsonObject { ["Attributes"] = new JsonObject(all.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))) };
        }));
        On("SetTopicAttributes", (i, _) => Write(() =>
        {
            FindTopic(Required(i, "TopicArn")).Attributes[Required(i, "AttributeName")] = Optional(i, "AttributeValue") ?? "";
            return new JsonObject();
        }));
        On("Subscribe", (i, c) => Write(() =>
        {
            var topic = FindTopic(Required(i, "TopicArn"));
            var protocol = Required(i, "Protocol");
            var endpoint = Optional(i, "Endpoint") ?? "";
            var sub = topic.Subscriptions.FirstOrDefault(s => s.Protocol == protocol && s.Endpoint == endpoint);
            if (sub == null)
            {
                sub = new Subscription { Id = Guid.NewGuid().ToString(), Protocol = protocol, Endpoint = endpoint };
                foreach (var (k, v) in (i["Attributes"] as JsonObject) ?? []) sub.Attributes[k] = v?.ToString() ?? "";
                topic.Subscriptions.Add(sub);
            }
            return new JsonObject { ["SubscriptionArn"] = SubscriptionArn(c, topic, sub) };
        }));
        On("Unsubscribe", (i, _) => Write(() =>
        {
            var (topic, sub) = FindSubscription(Required(i, "SubscriptionArn"));
            topic.Subscriptions.Remove(sub);
            return new JsonObject();
        }));
        On("ListSubscriptions", (i, c) => Read(() => Paginate(i, State.Topics.Values.SelectMany(t => t.Subscriptions.Select(s => (JsonNode?)DescribeSubscription(c, t, s))), "Subscriptions", "NextToken", "MaxItems", 100)));
        On("ListSubscriptionsByTopic", (i, c) => Read(() =>
        {
            var topic = FindTopic(Required(i, "TopicArn"));
            return Paginate(i, topic.Subscriptions.Select(s => (JsonNode?)DescribeSubscription(c, topic, s)), "Subscriptions", "NextToken", "MaxItems", 100);
        }));
        On("GetSubscriptionAttributes", (i, c) => Read(() =>
        {
            var (topic, sub) = FindSubscription(Required(i, "SubscriptionArn"));
            var all = new Dictionary<string, string>(sub.Attributes)
            {
                ["SubscriptionArn"] = SubscriptionArn(c, topic, sub), ["TopicArn"] = c.Arn("sns", topic.Name), ["Protocol"] = sub.Protocol,
                ["Endpoint"] = sub.Endpoint, ["Owner"] = c.Account, ["PendingConfirmation"] = "false", ["ConfirmationWasAuthenticated"] = "true",
            };
            return new JsonObject { ["Attributes"] = new JsonObject(all.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))) };
        }));
        On("SetSubscriptionAttributes", (i, _) => Write(() =>
        {
            FindSubscription(Required(i, "SubscriptionArn")).Subscription.Attributes[Required(i, "AttributeName")] = Optional(i, "AttributeValue") ?? "";
            return new JsonObject();
        }));
        On("Publish", (i, c) =>
        {
            var message = Required(i, "Message");
            var id = Guid.NewGuid().ToString();
            List<Subscription> targets;
            string topicArn;
            lock (Gate)
            {
                var topic = FindTopic(Optional(i, "TopicArn") ?? Optional(i, "TargetArn") ?? throw AwsError.Invalid("TopicArn or TargetArn is required."));
                topicArn = c.Arn("sns", topic.Name);
                targets = topic.Subscriptions.Where(s => s.Protocol == "sqs").ToList();
            }
            var attributes = i["MessageAttributes"] as JsonObject;
            foreach (var sub in targets)
            {
                var raw = sub.Attributes.GetValueOrDefault("RawMessageDelivery") == "true";
                var body = raw ? message : Envelope(id, topicArn, Optional(i, "Subject"), message, attributes, c);
                _sqs.Deliver(sub.Endpoint, body, raw ? attributes?.DeepClone().AsObject() : null);
            }
            return new JsonObject { ["MessageId"] = id };
        });
    }

    static string Envelope(string id, string topicArn, string? subject, string message, JsonObject? attributes, RequestContext c)
    {
        var o = new JsonObject
        {
            ["Type"] = "Notification", ["MessageId"] = id, ["TopicArn"] = topicArn, ["Subject"] = subject, ["Message"] = message,
            ["Timestamp"] = c.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), ["SignatureVersion"] = "1",
        };
        if (attributes is { Count: > 0 })
            o["MessageAttributes"] = new JsonObject(attributes.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)new JsonObject
            {
                ["Type"] = (string?)a.Value?["DataType"], ["Value"] = (string?)a.Value?["StringValue"],
            })));
        return o.ToJsonString();
    }


    static string Tail(string arn) => arn.Split(':')[^1];

    Topic FindTopic(string arn) => State.Topics.TryGetValue(Tail(arn), out var t) ? t : throw NotFound("Topic");

    (Topic Topic, Subscription Subscription) FindSubscription(string arn)
    {
        var id = Tail(arn);
        foreach (var t in State.Topics.Values)
            if (t.Subscriptions.FirstOrDefault(s => s.Id == id) is { } s) return (t, s);
        throw NotFound("Subscription");
    }

    static string SubscriptionArn(RequestContext c, Topic t, Subscription s) => c.Arn("sns", $"{t.Name}:{s.Id}");

    static JsonObject DescribeSubscription(RequestContext c, Topic t, Subscription s) => new()
    {
        ["SubscriptionArn"] = SubscriptionArn(c, t, s), ["Owner"] = c.Account, ["Protocol"] = s.Protocol, ["Endpoint"] = s.Endpoint,
        ["TopicArn"] = c.Arn("sns", t.Name),
    };

}
