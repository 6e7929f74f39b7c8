using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sns;

internal sealed partial class SnsService
{
    JsonNode? Publish(JsonObject i, RequestContext c)
    {
        var message = Required(i, "Message");
        var id = Guid.NewGuid().ToString();
        List<SnsSubscription> targets;
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
            _sqs.Deliver(sub.Endpoint, body, raw ? attributes?.DeepClone().AsObject() : null, Optional(i, "MessageGroupId"), Optional(i, "MessageDeduplicationId"));
        }
        return new JsonObject { ["MessageId"] = id };
    }

    /// <summary>The JSON notification SNS wraps a message in for a subscriber that did not ask for raw delivery.</summary>
    static string Envelope(string id, string topicArn, string? subject, string message, JsonObject? attributes, RequestContext c)
    {
        var o = new JsonObject
        {
            ["Type"] = "Notification",
            ["MessageId"] = id,
            ["TopicArn"] = topicArn,
            ["Subject"] = subject,
            ["Message"] = message,
            ["Timestamp"] = c.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            ["SignatureVersion"] = "1",
        };
        if (attributes is { Count: > 0 })
            o["MessageAttributes"] = new JsonObject(attributes.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)new JsonObject
            {
                ["Type"] = (string?)a.Value?["DataType"],
                ["Value"] = (string?)a.Value?["StringValue"],
            })));
        return o.ToJsonString();
    }
}
