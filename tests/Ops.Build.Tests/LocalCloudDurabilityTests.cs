using System.Collections.Concurrent;
using Amazon.Runtime;
using Ops.Aws;
using Ops.Aws.Sqs;
using Ops.Aws.Ssm;

namespace Ops.Build.Tests;

/// <summary>
/// A write the local cloud acknowledged survives <c>kill -9</c> of its process right after the answer: the real
/// <c>./build.sh local-cloud</c> process is killed while clients are sending, restarted on the same state, and every
/// acknowledged message, parameter, object and item is read back.
/// </summary>
public class LocalCloudDurabilityTests
{
    [Fact]
    public async Task Every_acknowledged_write_survives_kill_9_of_the_local_cloud()
    {
        using var root = new TestRoot();
        var port = LoopbackPort.Free();
        var endpoint = new Uri($"http://127.0.0.1:{port}");
        var connection = new AwsConnection { Credentials = new BasicAWSCredentials("test", "test"), Region = "us-east-1", EndpointUrl = endpoint, MaxAttempts = 1 };
        var acknowledged = new ConcurrentBag<string>();
        string queueUrl;

        using (var server = LocalCloudProcess.Start(root, port))
        {
            await server.WaitForOutput("press Ctrl+C to stop", TimeSpan.FromSeconds(60));
            var sqs = new SqsClient(connection);
            queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "iotile-worker-dev" })).QueueUrl!;
            await AwsCli.Run(endpoint, "s3api", "create-bucket", "--bucket", "iotile-uploads");
            await AwsCli.Run(endpoint, "dynamodb", "create-table", "--table-name", "iotile-worker-logs-dev",
                "--attribute-definitions", "AttributeName=id,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH",
                "--billing-mode", "PAY_PER_REQUEST");

            // One acknowledged write of each kind, each followed at once by the kill below.
            await new SsmClient(connection).PutParameterAsync(new PutParameterRequest { Name = "/iotilecloud/dev/Marker", Value = "m-1", Type = "String" });
            await AwsCli.Run(endpoint, "dynamodb", "put-item", "--table-name", "iotile-worker-logs-dev", "--item", """{"id":{"S":"marker-1"}}""");
            var file = Path.Combine(root.Path, "object.bin");
            await File.WriteAllBytesAsync(file, [1, 2, 3, 4, 5]);
            await AwsCli.Run(endpoint, "s3api", "put-object", "--bucket", "iotile-uploads", "--key", "markers/one", "--body", file);

            // Four senders; the process is killed while they are busy, so some sends die on the wire (not acknowledged).
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var body = $"sender-{n}-message-{i}";
                    try
                    {
                        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = body });
                        acknowledged.Add(body);
                    }
                    catch (Exception)
                    {
                        return; // the server is gone (refused, reset, or a socket error, depending on when the kill landed)
                    }
                }
            })).ToArray();
            while (acknowledged.Count < 200) await Task.Delay(10);
            server.Signal("KILL");
            await server.WaitForExit(TimeSpan.FromSeconds(30));
            stop.Cancel();
            await Task.WhenAll(senders);
        }
        Assert.True(acknowledged.Count >= 200);

        using (var server = LocalCloudProcess.Start(root, port))
        {
            await server.WaitForOutput("press Ctrl+C to stop", TimeSpan.FromSeconds(60));
            var sqs = new SqsClient(connection);
            var received = new HashSet<string>();
            while (true)
            {
                var page = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, VisibilityTimeout = 300 });
                if (page.Messages is not { Count: > 0 }) break;
                foreach (var m in page.Messages) received.Add(m.Body!);
            }
            var lost = acknowledged.Where(b => !received.Contains(b)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged messages were lost, e.g. {string.Join(", ", lost.Take(5))}");

            var parameter = await new SsmClient(connection).GetParameterAsync(new GetParameterRequest { Name = "/iotilecloud/dev/Marker" });
            Assert.Equal("m-1", parameter.Parameter!.Value);
            var item = await AwsCli.Run(endpoint, "dynamodb", "get-item", "--table-name", "iotile-worker-logs-dev", "--key", """{"id":{"S":"marker-1"}}""");
            Assert.Equal("marker-1", (string?)item!["Item"]!["id"]!["S"]);
            var copy = Path.Combine(root.Path, "copy.bin");
            await AwsCli.Run(endpoint, "s3api", "get-object", "--bucket", "iotile-uploads", "--key", "markers/one", copy);
            Assert.Equal([1, 2, 3, 4, 5], await File.ReadAllBytesAsync(copy));
            server.Signal("TERM");
            await server.WaitForExit(TimeSpan.FromSeconds(30));
        }
    }
}
