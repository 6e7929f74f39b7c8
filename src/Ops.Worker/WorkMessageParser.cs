using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ops.Worker;

/// <summary>Reads a message body into a <see cref="WorkMessage"/>, or says in one line why it cannot.</summary>
internal static class WorkMessageParser
{
    /// <summary>The parsed message, or null with <paramref name="error"/> naming what is wrong with the body.</summary>
    public static WorkMessage? Parse(string? body, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(body))
        {
            error = "the body is empty; send {\"module\": ..., \"class\": ..., \"arguments\": {...}}";
            return null;
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            error = $"the body is not JSON ({FirstLine(e.Message)})";
            return null;
        }
        if (node is not JsonObject o)
        {
            error = "the body is not a JSON object; send {\"module\": ..., \"class\": ..., \"arguments\": {...}}";
            return null;
        }
        var module = Text(o, "module", ref error);
        var @class = Text(o, "class", ref error);
        if (module == null || @class == null) return null;
        JsonObject arguments;
        switch (o["arguments"])
        {
            case null:
                arguments = new JsonObject();
                break;
            case JsonObject a:
                arguments = (JsonObject)a.DeepClone();
                break;
            default:
                error = "\"arguments\" is not a JSON object";
                return null;
        }
        return new WorkMessage(module, @class, arguments);
    }

    static string? Text(JsonObject o, string field, ref string error)
    {
        if (o[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0) return s.Trim();
        if (error.Length == 0) error = $"\"{field}\" is missing or not a non-empty string";
        return null;
    }

    static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');
}
