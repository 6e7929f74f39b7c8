using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Ops.Worker.Tests;

/// <summary>
/// The one stand-in for what ECS gives a task on loopback (real HTTP): the task metadata endpoint v4 (<c>GET …/task</c>
/// with TaskARN, Family, Revision) and the agent's <c>task-protection/v1/state</c>, recording every protection call and
/// failing the next ones on purpose (<see cref="FailNext"/>).
/// </summary>
public sealed class FakeEcsAgent : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Task _serving;
    readonly object _lock = new();
    readonly List<ProtectionCall> _calls = [];
    bool _protected;
    DateTime _expires;

    public FakeEcsAgent(string taskArn, string family = "iotile-worker-dev", int revision = 7)
    {
        TaskArn = taskArn;
        Family = family;
        Revision = revision;
        var port = LoopbackPort.Free();
        MetadataUri = $"http://127.0.0.1:{port}/v4/container-1";
        AgentUri = $"http://127.0.0.1:{port}/agent";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public string TaskArn { get; }
    public string TaskId => TaskArn.Split('/')[^1];
    public string Family { get; }
    public int Revision { get; }

    /// <summary><c>Family:Revision</c>, as kill messages name it.</summary>
    public string RevisionName => $"{Family}:{Revision}";

    /// <summary>The value of ECS_CONTAINER_METADATA_URI_V4.</summary>
    public string MetadataUri { get; }

    /// <summary>The value of ECS_AGENT_URI.</summary>
    public string AgentUri { get; }

    /// <summary>Whether the task is protected now (set and not expired).</summary>
    public bool Protected { get { lock (_lock) return _protected && _expires > DateTime.UtcNow; } }

    /// <summary>Every PUT on task-protection/v1/state, in order.</summary>
    public List<ProtectionCall> Calls { get { lock (_lock) return [.. _calls]; } }

    /// <summary>How many of the next protection calls to answer 503 (a fault the worker must survive).</summary>
    public int FailNext { get { lock (_lock) return _failNext; } set { lock (_lock) _failNext = value; } }
    int _failNext;

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
            var (status, body) = await AnswerAsync(context.Request);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    async Task<(int, JsonNode)> AnswerAsync(HttpListenerRequest request)
    {
        var path = request.Url!.AbsolutePath;
        if (request.HttpMethod == "GET" && path == "/v4/container-1/task")
            return (200, new JsonObject { ["Cluster"] = "iotile-test", ["TaskARN"] = TaskArn, ["Family"] = Family, ["Revision"] = Revision.ToString() });
        if (path != "/agent/task-protection/v1/state")
            return (404, new JsonObject { ["error"] = new JsonObject { ["Code"] = "NotFound", ["Message"] = path } });
        if (request.HttpMethod == "GET")
            lock (_lock) return (200, State());
        if (request.HttpMethod != "PUT")
            return (405, Error("InvalidRequest", "GET or PUT"));
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        lock (_lock)
        {
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                return (400, Error("InvalidRequest", "the body is not JSON"));
            }
            var enabled = (bool?)json?["ProtectionEnabled"];
            var minutes = (int?)json?["ExpiresInMinutes"];
            if (_failNext > 0)
            {
                _failNext--;
                _calls.Add(new ProtectionCall(enabled, minutes, DateTime.UtcNow, Failed: true));
                return (503, Error("ServerException", "the agent is busy"));
            }
            if (enabled == null) return (400, Error("InvalidRequest", "ProtectionEnabled is required"));
            if (enabled == true && minutes is < 1 or > 2880) return (400, Error("InvalidParameterException", "ExpiresInMinutes must be 1 to 2880"));
            _calls.Add(new ProtectionCall(enabled, minutes, DateTime.UtcNow, Failed: false));
            _protected = enabled.Value;
            _expires = enabled.Value ? DateTime.UtcNow.AddMinutes(minutes ?? 120) : DateTime.MinValue;
            return (200, State());
        }
    }

    JsonObject State() => new()
    {
        ["protection"] = new JsonObject
        {
            ["ProtectionEnabled"] = _protected,
            ["ExpirationDate"] = _protected ? _expires.ToString("yyyy-MM-ddTHH:mm:ssZ") : null,
            ["TaskArn"] = TaskArn,
        },
    };

    JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["Arn"] = TaskArn, ["Code"] = code, ["Message"] = message } };

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _ = _serving;
    }
}
