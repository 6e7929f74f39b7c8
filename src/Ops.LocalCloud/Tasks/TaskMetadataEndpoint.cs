using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Ops.LocalCloud.Tasks;

/// <summary>
/// The task metadata endpoint v4 and the agent's task-protection endpoint, as ECS serves them to a container (no
/// signature; the unguessable token in the path is the container's own): <c>/_ecs/&lt;token&gt;/v4</c> (container),
/// <c>…/v4/task</c> (task), <c>/_ecs/&lt;token&gt;/agent/task-protection/v1/state</c> (GET, PUT).
/// </summary>
internal sealed class TaskMetadataEndpoint(ProcessTaskRunner runner)
{
    public const string Prefix = "/_ecs";

    public async Task HandleAsync(HttpContext http)
    {
        var parts = (http.Request.Path.Value ?? "")[Prefix.Length..].Trim('/').Split('/');
        if (parts.Length < 2 || !runner.TryResolve(parts[0], out var target))
        {
            await Protocol.JsonReply.WriteAsync(http, 404, new JsonObject { ["error"] = "unknown or expired task metadata token" });
            return;
        }
        var rest = string.Join('/', parts[1..]);
        switch (rest, http.Request.Method)
        {
            case ("v4", "GET"):
            case ("v4/task", "GET"):
                var task = runner.Host.TaskMetadata(target.Cluster, target.TaskId);
                if (task == null) { await Protocol.JsonReply.WriteAsync(http, 404, new JsonObject { ["error"] = "task not found" }); return; }
                var container = (task["Containers"] as JsonArray)?.FirstOrDefault(c => (string?)c?["Name"] == target.Container)?.DeepClone();
                await Protocol.JsonReply.WriteAsync(http, 200, rest == "v4" ? container ?? new JsonObject() : task);
                return;
            case ("agent/task-protection/v1/state", "GET"):
                await Protection(http, target, null, 0);
                return;
            case ("agent/task-protection/v1/state", "PUT"):
                JsonNode? body;
                try { body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted); }
                catch (JsonException) { body = null; }
                if (body?["ProtectionEnabled"] is not JsonValue enabled || !enabled.TryGetValue<bool>(out var on))
                {
                    await Protocol.JsonReply.WriteAsync(http, 400, Error(null, "InvalidRequest", "Invalid request: the body must be JSON with a boolean ProtectionEnabled (and optionally ExpiresInMinutes)."));
                    return;
                }
                var minutes = body["ExpiresInMinutes"] is JsonValue m && m.TryGetValue<int>(out var n) ? n : 120;
                if (minutes is < 1 or > 2880)
                {
                    await Protocol.JsonReply.WriteAsync(http, 400, Error(null, "InvalidRequest", "ExpiresInMinutes must be between 1 and 2880."));
                    return;
                }
                await Protection(http, target, on, minutes);
                return;
            default:
                await Protocol.JsonReply.WriteAsync(http, 404, new JsonObject { ["error"] = $"no {http.Request.Method} /{rest} on the task metadata endpoint" });
                return;
        }
    }

    async Task Protection(HttpContext http, (string Cluster, string TaskId, string Container) target, bool? enable, int minutes)
    {
        var p = await runner.Host.ProtectionAsync(target.Cluster, target.TaskId, enable, minutes, http.RequestAborted);
        if (p.Failure != null)
        {
            await Protocol.JsonReply.WriteAsync(http, 400, Error(p.TaskArn, p.Failure, $"The task {p.TaskArn} cannot be protected: {p.Failure}."));
            return;
        }
        var protection = new JsonObject { ["ProtectionEnabled"] = p.Enabled, ["TaskArn"] = p.TaskArn };
        if (p.ExpirationDate is { } at) protection["ExpirationDate"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        await Protocol.JsonReply.WriteAsync(http, 200, new JsonObject { ["protection"] = protection });
    }

    static JsonObject Error(string? arn, string code, string message) =>
        new() { ["error"] = new JsonObject { ["Arn"] = arn, ["Code"] = code, ["Message"] = message } };
}
