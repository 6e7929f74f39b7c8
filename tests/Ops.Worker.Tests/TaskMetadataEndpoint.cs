using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ops.Worker.Tests;

/// <summary>A stand-in for the ECS task metadata endpoint v4 (real HTTP on loopback): answers GET /task with a TaskARN.</summary>
public sealed class TaskMetadataEndpoint : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Task _serving;

    public TaskMetadataEndpoint(string taskArn)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Uri = $"http://127.0.0.1:{port}/v4/container-1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = ServeAsync(taskArn);
    }

    /// <summary>The value of ECS_CONTAINER_METADATA_URI_V4.</summary>
    public string Uri { get; }

    async Task ServeAsync(string taskArn)
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
            var found = context.Request.Url!.AbsolutePath == "/v4/container-1/task";
            context.Response.StatusCode = found ? 200 : 404;
            var body = Encoding.UTF8.GetBytes(found ? $$"""{"Cluster":"iotile-dev","TaskARN":"{{taskArn}}","Family":"iotile-worker-dev"}""" : "{}");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _ = _serving;
    }
}
