using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Ops.LocalCloud.Protocol;

/// <summary>The answer of the local cloud's unsigned container endpoints (task metadata, task protection, credentials): a status and a JSON body.</summary>
internal static class JsonReply
{
    public static async Task WriteAsync(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString());
    }
}
