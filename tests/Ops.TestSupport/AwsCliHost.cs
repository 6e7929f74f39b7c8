using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ops.TestSupport;

/// <summary>
/// One long-lived <c>aws-cli-host.py</c>: the aws CLI's own driver kept loaded in a Python process, answering one call at a
/// time. Starting the CLI costs about a second of CPU (Python, then botocore); the suite makes hundreds of calls.
/// </summary>
sealed class AwsCliHost : IDisposable
{
    static readonly string Script = Path.Combine(AppContext.BaseDirectory, "aws-cli-host.py");
    readonly Process _process;

    AwsCliHost(Process process) => _process = process;

    /// <summary>Starts a host, or returns null when this machine's python3 cannot load the aws CLI (then each call runs <c>aws</c>).</summary>
    public static async Task<AwsCliHost?> TryStartAsync()
    {
        var info = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Script);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += IgnoreLine; // a host's own stderr would only be import trouble, reported by "ready" not coming
        process.BeginErrorReadLine();
        if (await process.StandardOutput.ReadLineAsync() == "ready") return new AwsCliHost(process);
        process.Kill();
        process.Dispose();
        return null;
    }

    static void IgnoreLine(object sender, DataReceivedEventArgs e)
    {
    }

    /// <summary>Runs <c>aws &lt;args&gt;</c> with <paramref name="environment"/> over the host's own (which has no AWS_ settings).</summary>
    public async Task<(int Code, string Out, string Error)> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var request = new JsonObject
        {
            ["args"] = new JsonArray([.. args.Select(a => JsonValue.Create(a))]),
            ["env"] = new JsonObject(environment.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))),
        };
        await _process.StandardInput.WriteLineAsync(request.ToJsonString());
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync()
                   ?? throw new InvalidOperationException($"the aws CLI host (pid {_process.Id}) ended during aws {string.Join(' ', args)}");
        using var reply = JsonDocument.Parse(line);
        var root = reply.RootElement;
        return (root.GetProperty("code").GetInt32(), root.GetProperty("stdout").GetString()!, root.GetProperty("stderr").GetString()!);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
