using System.Diagnostics;
using System.Net;
using System.Text;

namespace Ops.TestSupport;

/// <summary>A real moto_server (an AWS emulator written by others) on a free loopback port, started and awaited until it answers.</summary>
public sealed class MotoProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _log = new();

    MotoProcess(Process process, Uri endpoint) => (_process, Endpoint) = (process, endpoint);

    public Uri Endpoint { get; }

    /// <summary>What moto_server printed so far.</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Starts moto_server and waits (up to a minute) until its API answers; fails naming the endpoint and moto's output.</summary>
    public static async Task<MotoProcess> StartAsync()
    {
        var port = LoopbackPort.Free();
        var process = Process.Start(new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // AWS's managed policies (AmazonEC2ContainerServiceforEC2Role, Elastic Beanstalk's) exist in every account; moto loads them on request.
            Environment = { ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true" },
        }) ?? throw new InvalidOperationException("moto_server did not start");
        var moto = new MotoProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += moto.Record;
        process.ErrorDataReceived += moto.Record;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(200))
        {
            try
            {
                if ((await http.GetAsync(new Uri(moto.Endpoint, "/moto-api/data.json"))).StatusCode == HttpStatusCode.OK) return moto;
            }
            catch (HttpRequestException) { }
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await moto.DisposeAsync();
                throw new InvalidOperationException($"moto_server did not come up on {moto.Endpoint}:\n{moto.Log}");
            }
        }
    }

    void Record(object sender, DataReceivedEventArgs e)
    {
        lock (_log) _log.AppendLine(e.Data);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
