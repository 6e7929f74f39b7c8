using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Ops.Aws;
using Ops.Stack.Fleet;
using Ops.Stack.Model;

namespace Ops.Stack.Tests;

/// <summary>A real moto_server (an AWS emulator written by others) on a free loopback port, for the fleet scenarios moto implements.</summary>
public sealed class MotoCloud : IAsyncLifetime
{
    Process? _process;

    public Uri Url { get; private set; } = null!;

    public AwsConnection Connection => new() { Credentials = new BasicAWSCredentials("test", "test"), Region = "us-east-1", EndpointUrl = Url, MaxAttempts = 2 };

    /// <summary>A context treating moto as AWS (EC2 launch type, image by digest), with no wait for a scheduler moto does not run.</summary>
    public FleetContext Context(StageStack stack, CapturedLog log) => new()
    {
        Connection = Connection, Stack = stack, Log = log, IsLocalCloud = false, RepositoryRoot = FleetCloud.RepositoryRoot,
        WaitForService = false, PollInterval = TimeSpan.FromMilliseconds(100), WaitTimeout = TimeSpan.FromSeconds(30),
    };

    public async Task InitializeAsync()
    {
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        }
        _process = Process.Start(new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", Url.Port.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        }) ?? throw new InvalidOperationException("moto_server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(200))
        {
            try
            {
                if ((await http.GetAsync(new Uri(Url, "/moto-api/data.json"))).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            if (_process.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException($"moto_server did not come up on {Url}");
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class MotoCloudCollection : ICollectionFixture<MotoCloud>
{
    public const string Name = "fleet moto";
}
