using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sqs;

/// <summary>A message as a sender gives it (SendMessage, a batch entry, or SNS delivery), before it is checked and enqueued.</summary>
internal sealed record SqsOutgoingMessage(string? Body, long? DelaySeconds, JsonObject? Attributes, string? GroupId, string? DeduplicationId)
{
    public static SqsOutgoingMessage From(JsonObject input) => new(
        (string?)input["MessageBody"], input["DelaySeconds"] is JsonValue d ? d.GetValue<long>() : null, input["MessageAttributes"] as JsonObject,
        (string?)input["MessageGroupId"], (string?)input["MessageDeduplicationId"]);
}
