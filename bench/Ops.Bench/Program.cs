using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Ops.Aws;
using Ops.Aws.Ecs;
using Ops.Aws.Sqs;
using Ops.LocalCloud;

// Throughput of the same client calls against LocalCloud and moto, one after the other in one run.
// Usage: dotnet run -c Release --project bench/Ops.Bench -- [--seconds N] [--workers N]
// The worker fleet on LocalCloud (FleetBench.cs): ... -- fleet [--messages 2000] [--counts 1,3,10] [--starts 10]
// Building and pushing the worker image through podman (ImageBench.cs): ... -- images [--runs 3]
// deploy-worker under a steady load (RolloutBench.cs): ... -- rollout [--counts 3,10,50] [--strategies kill-ack,task-protection] [--rate 1]
// up with realistic delays, parallel against --parallel 1, and the calls of a no-op up (UpBench.cs): ... -- up [--runs 3] [--parallel 4]
// ./build.sh drill on a warm machine, its phases and RTO (DrillBench.cs): ... -- drill [--runs 3]
// Durable writes as the local cloud's state grows, and its restart (StateBench.cs): ... -- state [--records 50000]
if (args.FirstOrDefault() is "fleet" or "images" or "rollout" or "up" or "drill" or "state")
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
    try
    {
        return args[0] switch
        {
            "fleet" => await FleetBench.RunAsync(args, cancel.Token),
            "rollout" => await RolloutBench.RunAsync(args, cancel.Token),
            "up" => await UpBench.RunAsync(args, cancel.Token),
            "drill" => await DrillBench.RunAsync(args, cancel.Token),
            "state" => await StateBench.RunAsync(args, cancel.Token),
            _ => await ImageBench.RunAsync(args, cancel.Token),
        };
    }
    catch (BenchException e)
    {
        Console.Error.WriteLine($"ops-bench: {e.Message}");
        return 1;
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        Console.Error.WriteLine("ops-bench: interrupted");
        return 130;
    }
}
var seconds = Arg("--seconds", 5);
var workers = Arg("--workers", 4);
Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");

Console.WriteLine($"Ops.Bench: {seconds} s per measurement, {workers} concurrent callers, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine("All endpoints on 127.0.0.1; the LocalClouds run in this process (sharing its cores with the callers), moto in its own.");

// "LocalCloud" keeps state on disk as ./build.sh runs it: a change is acknowledged once its group commit is flushed to
// disk (StateDurability.Disk); "process" acknowledges once the change is written to the operating system and flushes
// within 10 ms (StateDurability.Process: survives kill -9, not a power loss); "in-memory" has no state directory.
var stateDirectory = Directory.CreateTempSubdirectory("ops-bench-state-").FullName;
// The local clouds get the benchmark's operator keys: CreateService (the ECS scenario) may start programs, which the public keys may not.
const string OperatorKey = BenchEnvironment.OperatorAccessKey;
const string operatorSecret = BenchEnvironment.OperatorSecretKey;
await using var local = await LocalCloudServer.StartAsync(new LocalCloudOptions
{
    Delays = LifecycleDelays.Instant,
    StateDirectory = stateDirectory,
    AccessKey = OperatorKey,
    SecretKey = operatorSecret,
});
await using var memory = await LocalCloudServer.StartAsync(new LocalCloudOptions
{
    Delays = LifecycleDelays.Instant,
    AccessKey = OperatorKey,
    SecretKey = operatorSecret,
});
var processOnlyDirectory = Directory.CreateTempSubdirectory("ops-bench-state-").FullName;
await using var processOnly = await LocalCloudServer.StartAsync(new LocalCloudOptions
{
    Delays = LifecycleDelays.Instant,
    StateDirectory = processOnlyDirectory,
    Durability = StateDurability.Process,
    AccessKey = OperatorKey,
    SecretKey = operatorSecret,
});
using var moto = await Moto.StartAsync();

var targets = new (string Name, AwsConnection Connection)[]
{
    ("LocalCloud", Connection(local.Url) with { Credentials = new BasicAWSCredentials(OperatorKey, operatorSecret) }),
    ("process", Connection(processOnly.Url) with { Credentials = new BasicAWSCredentials(OperatorKey, operatorSecret) }),
    ("in-memory", Connection(memory.Url) with { Credentials = new BasicAWSCredentials(OperatorKey, operatorSecret) }),
    ("moto", Connection(moto.Url)),
};
var scenarios = new (string Name, Func<AwsConnection, Task<Func<Task>>> Prepare)[]
{
    ("SQS send+receive+delete", PrepareSqs),
    ("ECS DescribeServices", PrepareEcs),
};

// Every step is prepared and warmed up (2 s each, so the JIT has compiled the shared code at full tier) before the
// first measurement: all endpoints run in or against this one process, and the first measured would pay for it.
var steps = new Dictionary<(string, string), Func<Task>>();
foreach (var (scenario, prepare) in scenarios)
    foreach (var (target, connection) in targets)
    {
        var step = steps[(scenario, target)] = await prepare(connection);
        await Measure(step, TimeSpan.FromSeconds(2), workers);
    }
var results = new Dictionary<(string, string), (double PerSecond, double P50, double P99)>();
foreach (var (scenario, _) in scenarios)
    foreach (var (target, _) in targets)
        results[(scenario, target)] = await Measure(steps[(scenario, target)], TimeSpan.FromSeconds(seconds), workers);

Console.WriteLine();
Console.WriteLine($"LocalCloud state (durable, write-ahead log): {stateDirectory}");
Console.WriteLine($"{"scenario",-28} {"endpoint",-11} {"ops/s",10} {"p50 ms",8} {"p99 ms",8}");
foreach (var (scenario, _) in scenarios)
{
    foreach (var (target, _) in targets)
    {
        var r = results[(scenario, target)];
        Console.WriteLine($"{scenario,-28} {target,-11} {r.PerSecond,10:0} {r.P50,8:0.00} {r.P99,8:0.00}");
    }
    Console.WriteLine($"{"",-28} {"LocalCloud/moto",-11} {results[(scenario, "LocalCloud")].PerSecond / results[(scenario, "moto")].PerSecond,6:0.0}x");
}
await local.DisposeAsync();
await processOnly.DisposeAsync();
Directory.Delete(stateDirectory, recursive: true);
Directory.Delete(processOnlyDirectory, recursive: true);
return 0;

static async Task<(double, double, double)> Measure(Func<Task> step, TimeSpan duration, int workers)
{
    var latencies = new List<double>[workers];
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
    {
        latencies[w] = [];
        while (clock.Elapsed < duration)
        {
            var start = Stopwatch.GetTimestamp();
            await step();
            latencies[w].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToList();
    return (all.Count / clock.Elapsed.TotalSeconds, all[all.Count / 2], all[(int)(all.Count * 0.99)]);
}

static async Task<Func<Task>> PrepareSqs(AwsConnection c)
{
    var sqs = new SqsClient(c);
    var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "bench-" + Guid.NewGuid().ToString("N")[..8] })).QueueUrl!;
    return async () =>
    {
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = """{"module":"apps.sqsworker.worker","class":"Bench"}""" });
        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 1 });
        foreach (var m in received.Messages ?? [])
            await sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = url, ReceiptHandle = m.ReceiptHandle });
    };
}

static async Task<Func<Task>> PrepareEcs(AwsConnection c)
{
    var ecs = new EcsClient(c);
    var cluster = "bench-" + Guid.NewGuid().ToString("N")[..8];
    await ecs.CreateClusterAsync(new CreateClusterRequest { ClusterName = cluster });
    var td = await ecs.RegisterTaskDefinitionAsync(new RegisterTaskDefinitionRequest
    {
        Family = cluster,
        ContainerDefinitions = [new ContainerDefinition { Name = "w", Image = "w:1", Memory = 128 }],
    });
    for (var n = 0; n < 3; n++)
        await ecs.CreateServiceAsync(new CreateServiceRequest { Cluster = cluster, ServiceName = $"svc{n}", TaskDefinition = td.TaskDefinition!.TaskDefinitionArn,
            DesiredCount = 0 });
    var request = new DescribeServicesRequest { Cluster = cluster, Services = ["svc0", "svc1", "svc2"] };
    return () => ecs.DescribeServicesAsync(request);
}

static AwsConnection Connection(Uri url) => new()
{
    Credentials = new BasicAWSCredentials("test", "test"),
    Region = "us-east-1",
    EndpointUrl = url,
    MaxAttempts = 1,
};

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}

sealed class Moto : IDisposable
{
    readonly Process _process;
    public Uri Url { get; }

    Moto(Process process, Uri url) => (_process, Url) = (process, url);

    public static async Task<Moto> StartAsync()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var process = Process.Start(new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient();
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri(url, "/moto-api/data.json"))).IsSuccessStatusCode) return new Moto(process, url);
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new InvalidOperationException("moto_server did not start");
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
