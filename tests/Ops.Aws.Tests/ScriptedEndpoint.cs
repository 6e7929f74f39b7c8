using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Ops.Aws.Tests;

/// <summary>A loopback HTTP endpoint that records every request and answers from a script: for signatures and faults.</summary>
public sealed class ScriptedEndpoint : IDisposable
{
    public sealed record Recorded(string Method, string RawUrl, Dictionary<string, string> Headers, byte[] Body);
    public sealed record Reply(int Status, string Body, string ContentType, Dictionary<string, string>? Headers = null);

    readonly HttpListener _listener = new();
    readonly Func<Recorded, int, Reply> _script;
    readonly CancellationTokenSource _stop = new();
    public ConcurrentQueue<Recorded> Requests { get; } = new();
    public Uri Url { get; }

    public ScriptedEndpoint(Func<Recorded, int, Reply> script)
    {
        _script = script;
        var port = LoopbackPort.Free();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(Serve);
    }

    async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.Where(k => k != null).ToDictionary(k => k!, k => context.Request.Headers[k]!,
                StringComparer.OrdinalIgnoreCase);
            var recorded = new Recorded(context.Request.HttpMethod, context.Request.RawUrl!, headers, body.ToArray());
            Requests.Enqueue(recorded);
            var reply = _script(recorded, Requests.Count);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = reply.ContentType;
            foreach (var (k, v) in reply.Headers ?? []) context.Response.Headers[k] = v;
            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public AwsConnection Connection(int maxAttempts = 3) => new()
    {
        Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        Region = "us-east-1",
        EndpointUrl = Url,
        MaxAttempts = maxAttempts,
    };

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}
