using Ops.Aws;
using Ops.Aws.Sqs;

namespace Ops.Stack.Tests;

/// <summary>
/// A steady stream of work for a rollout to happen under: Sleep messages of 50–300 ms sent to the work queue in small
/// batches until stopped, every message id recorded. A failed send is retried (the SDK's, then this loop's), never dropped.
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    readonly AwsConnection _connection;
    readonly string _queueUrl;
    readonly TimeSpan _every;
    readonly int _batch;
    readonly List<string> _sent = [];
    readonly CancellationTokenSource _stop = new();
    readonly Random _random;
    Task? _running;

    /// <summary>A stream of <paramref name="batch"/> messages every <paramref name="every"/>; <paramref name="seed"/> fixes the sleeps.</summary>
    public SteadyLoad(AwsConnection connection, string queueUrl, TimeSpan every, int batch = 2, int seed = 10)
    {
        _connection = connection with { MaxAttempts = 10 };
        _queueUrl = queueUrl;
        _every = every;
        _batch = batch;
        _random = new Random(seed);
    }

    /// <summary>The ids of the messages sent so far.</summary>
    public IReadOnlyList<string> Sent { get { lock (_sent) return _sent.ToList(); } }

    /// <summary>Send failures that were retried (faults injected on purpose show up here).</summary>
    public int Retries { get; private set; }

    public static string Sleep(int ms) => "{\"module\":\"ops.worker\",\"class\":\"Sleep\",\"arguments\":{\"ms\":" + ms + "}}";

    public void Start() => _running = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops sending and waits for the send in progress; returns every id sent.</summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        await _stop.CancelAsync();
        if (_running != null) await _running;
        return Sent;
    }

    async Task RunAsync(CancellationToken cancellationToken)
    {
        using var sqs = new SqsClient(_connection);
        while (!cancellationToken.IsCancellationRequested)
        {
            var entries = Enumerable.Range(0, _batch)
                .Select(i => new SendMessageBatchRequestEntry { Id = $"m{i}", MessageBody = Sleep(_random.Next(50, 301)) }).ToList();
            while (entries.Count > 0)
            {
                SendMessageBatchResult result;
                try
                {
                    // Not cancellable: a batch is either sent and recorded, or not sent.
                    result = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = _queueUrl, Entries = entries }, CancellationToken.None);
                }
                catch (Amazon.Runtime.AmazonServiceException)
                {
                    Retries++;
                    await Task.Delay(100, CancellationToken.None);
                    continue;
                }
                lock (_sent) _sent.AddRange(result.Successful!.Select(s => s.MessageId!));
                var failed = (result.Failed ?? []).Select(f => f.Id).ToHashSet();
                if (failed.Count > 0) Retries++;
                entries = entries.Where(e => failed.Contains(e.Id)).ToList();
            }
            try
            {
                await Task.Delay(_every, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
