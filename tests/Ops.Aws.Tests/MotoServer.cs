using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Ops.Aws.Tests;

/// <summary>A real moto_server on a free loopback port for the whole test collection (moto is an AWS emulator written by others).</summary>
public sealed class MotoServer : IAsyncLifetime, ITestCloud
{
    Process? _process;
    public Uri Endpoint { get; private set; } = null!;
    readonly System.Text.StringBuilder _log = new();

    public AwsConnection Connection => new()
    {
        Credentials = new BasicAWSCredentials("test", "test"),
        Region = "us-east-1",
        EndpointUrl = Endpoint,
        MaxAttempts = 2,
    };

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("moto_server did not start");
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(Endpoint, "/moto-api/data.json"))).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"moto_server did not come up on {Endpoint}:\n{Log}");
            await Task.Delay(200);
        }
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    public bool IsMoto => true;

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return Task.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waiter timing for an emulator that answers at once.</summary>
    public static readonly Waiters.WaiterOptions FastWaits = new()
    {
        MinDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxWait = TimeSpan.FromSeconds(20),
    };

    /// <summary>moto advances some models' status on every read; this makes one wait for explicit changes instead.</summary>
    public async Task PinStateProgression(string model)
    {
        using var http = new HttpClient();
        var body = new StringContent(System.Text.Json.JsonSerializer.Serialize(new
        {
            model_name = model,
            transition = new { progression = "manual", times = 1_000_000 },
        }));
        (await http.PostAsync(new Uri(Endpoint, "/moto-api/state-manager/set-transition"), body)).EnsureSuccessStatusCode();
    }

    /// <summary>A name no other test uses, so tests share one moto without colliding.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 40)];
}

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
