using Amazon.Runtime;

namespace Ops.Aws.Tests;

/// <summary>A real moto_server on a free loopback port for the whole test collection (moto is an AWS emulator written by others).</summary>
public sealed class MotoServer : IAsyncLifetime, ITestCloud
{
    MotoProcess? _moto;

    public Uri Endpoint => _moto?.Endpoint ?? throw new InvalidOperationException("moto_server has not started");

    public AwsConnection Connection => new()
    {
        Credentials = new BasicAWSCredentials("test", "test"),
        Region = "us-east-1",
        EndpointUrl = Endpoint,
        MaxAttempts = 2,
    };

    public async Task InitializeAsync() => _moto = await MotoProcess.StartAsync();

    public string Log => _moto?.Log ?? "";

    public bool IsMoto => true;

    public async Task DisposeAsync()
    {
        if (_moto != null) await _moto.DisposeAsync();
    }

    /// <summary>Waiter timing for an emulator that answers at once.</summary>
    public static readonly Waiters.WaiterOptions FastWaits = new()
    {
        MinDelay = TimeSpan.FromMilliseconds(50),
        MaxDelay = TimeSpan.FromMilliseconds(200),
        MaxWait = TimeSpan.FromSeconds(20),
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
