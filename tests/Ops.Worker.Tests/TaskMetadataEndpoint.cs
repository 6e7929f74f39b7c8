using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Ops.Worker.Tests;

/// <summary>
/// A stand-in for what ECS serves a container (real HTTP on loopback): the task metadata endpoint v4 (GET /task with
/// TaskARN, Family, Revision) and the agent's task-protection endpoint, whose PUTs it records and can fail on purpose.
/// </summary>
public sealed class TaskMetadataEndpoint : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Task _serving;
    readonly object _lock = new();
    readonly List<ProtectionPut> _puts = [];
    readonly string _taskArn;
    readonly string _family;
    readonly string _revision;
    int _failuresLeft;

    public TaskMetadataEndpoint(string taskArn, string family = "iotile-worker-dev", string revision = "7", int failFirstPuts = 0)
    {
        (_taskArn, _family, _revision, _failuresLeft) = (taskArn, family, revision, failFirstPuts);
        var port = LoopbackPort.Free();
        Uri = $"http://127.0.0.1:{port}/v4/container-1";
        AgentUri = $"http://127.0.0.1:{port}/agent";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    /// <summary>The value of ECS_CONTAINER_METADATA_URI_V4.</summary>
    public string Uri { get; }

    /// <summary>The value of ECS_AGENT_URI.</summary>
    public string AgentUri { get; }

    /// <summary>Every PUT on task-protection/v1/state, in order, including those answered with an error.</summary>
    public IReadOnlyList<ProtectionPut> Puts { get { lock (_lock) return _puts.ToList(); } }

    /// <summary>The protection state as the last successful PUT left it.</summary>
    public bool Protected { get { lock (_lock) return _puts.LastOrDefault(p => p.Status == 200)?.Enabled ?? false; } }

    async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var (status, body) = await Answer(context.Request);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
            context.Response.Close();
        }
    }

    async Task<(int, string)> Answer(HttpListenerRequest request)
    {
        switch (request.Url!.AbsolutePath, request.HttpMethod)
        {
            case ("/v4/container-1/task", "GET"):
                return (200, new JsonObject { ["Cluster"] = "iotile-dev", ["TaskARN"] = _taskArn, ["Family"] = _family, ["Revision"] = _revision }.ToJsonString());
            case ("/agent/task-protection/v1/state", "PUT"):
                var body = JsonNode.Parse(await new StreamReader(request.InputStream).ReadToEndAsync())!;
                var put = new ProtectionPut((bool)body["ProtectionEnabled"]!, (int?)body["ExpiresInMinutes"], 200);
                lock (_lock)
                {
                    if (_failuresLeft > 0)
                    {
                        _failuresLeft--;
                        _puts.Add(put with { Status = 500 });
                        return (500, """{"error":{"Arn":"","Code":"ServerException","Message":"injected by the test"}}""");
                    }
                    _puts.Add(put);
                }
                return (200, new JsonObject { ["protection"] = new JsonObject { ["ProtectionEnabled"] = put.Enabled, ["TaskArn"] = _taskArn } }.ToJsonString());
            default:
                return (404, "{}");
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _ = _serving;
    }
}
