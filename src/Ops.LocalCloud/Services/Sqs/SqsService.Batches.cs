using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.Sqs;

internal sealed partial class SqsService
{
    JsonNode? SendMessageBatch(JsonObject i, RequestContext c)
    {
        var entries = Entries(i, "SendMessageBatchRequestEntry");
        var messages = entries.Select(SqsOutgoingMessage.From).ToList();
        var total = messages.Sum(m => SqsLimits.Size(m.Body ?? "", m.Attributes));
        if (total > SqsLimits.MaxMessageSize) throw SqsErrors.BatchRequestTooLong(total);
        lock (Gate)
        {
            var q = FromUrl(i);
            var now = Now;
            var result = Each(entries, (entry, index) =>
            {
                Check(q, messages[index]);
                return SendResult(messages[index], Enqueue(q, messages[index], now));
            });
            if (q.IsFifo) Persist(); // deduplication ids and sequence numbers are the queue's, not a message's
            return result;
        }
    }

    JsonNode? DeleteMessageBatch(JsonObject i, RequestContext c)
    {
        var entries = Entries(i, "DeleteMessageBatchRequestEntry");
        lock (Gate)
        {
            var q = FromUrl(i);
            var result = Each(entries, (entry, _) =>
            {
                Delete(q, Required(entry, "ReceiptHandle"));
                return new JsonObject();
            });
            return result;
        }
    }

    JsonNode? ChangeMessageVisibilityBatch(JsonObject i, RequestContext c)
    {
        var entries = Entries(i, "ChangeMessageVisibilityBatchRequestEntry");
        lock (Gate)
        {
            var q = FromUrl(i);
            var now = Now;
            var result = Each(entries, (entry, _) =>
            {
                ChangeVisibility(q, Required(entry, "ReceiptHandle"), Number(entry, "VisibilityTimeout") ?? throw SqsErrors.MissingParameter("VisibilityTimeout"), now);
                return new JsonObject();
            });
            return result;
        }
    }

    /// <summary>A batch's entries, after the checks that fail the whole request: none, more than ten, a malformed or repeated id.</summary>
    static List<JsonObject> Entries(JsonObject i, string entryShape)
    {
        var entries = (i["Entries"] as JsonArray ?? []).Select(e => e!.AsObject()).ToList();
        if (entries.Count == 0) throw SqsErrors.EmptyBatchRequest(entryShape);
        if (entries.Count > SqsLimits.MaxBatchEntries) throw SqsErrors.TooManyEntriesInBatchRequest(entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var id = (string?)entry["Id"];
            if (!SqsLimits.IsBatchEntryId(id)) throw SqsErrors.InvalidBatchEntryId(id ?? "");
            if (!seen.Add(id!)) throw SqsErrors.BatchEntryIdsNotDistinct(id!);
        }
        return entries;
    }

    /// <summary>Runs each entry on its own: its error goes in Failed (Id, SenderFault, Code, Message) while the others succeed.</summary>
    static JsonObject Each(List<JsonObject> entries, Func<JsonObject, int, JsonObject> run)
    {
        var successful = new JsonArray();
        var failed = new JsonArray();
        for (var index = 0; index < entries.Count; index++)
        {
            var id = (string)entries[index]["Id"]!;
            try
            {
                var ok = run(entries[index], index);
                ok["Id"] = id;
                successful.Add(ok);
            }
            catch (AwsError error)
            {
                failed.Add(new JsonObject { ["Id"] = id, ["SenderFault"] = error.Sender, ["Code"] = error.QueryCode ?? error.Code, ["Message"] = error.Message });
            }
        }
        return new JsonObject { ["Successful"] = successful, ["Failed"] = failed };
    }
}
