using System.Text;
using Ops.Aws.Sqs;
using Ops.Aws.Ssm;

namespace Ops.LocalCloud.Tests;

/// <summary>What the local cloud leaves on disk: private, without secrets in plain text, and whole after a crash mid-write.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StateAtRestTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("ops-state-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    Task<LocalCloudServer> Start() =>
        LocalCloudServer.StartAsync(new LocalCloudOptions { StateDirectory = _dir, Delays = LifecycleDelays.Instant });

    static Ops.Aws.AwsConnection Connect(LocalCloudServer server) => new()
    {
        Credentials = new Amazon.Runtime.BasicAWSCredentials("test", "test"),
        Region = "us-east-1",
        EndpointUrl = server.Url,
        MaxAttempts = 1,
    };

    /// <summary>Every byte under the state directory, as text, with the file it came from.</summary>
    IEnumerable<(string File, string Text)> EverythingOnDisk() =>
        Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories).Select(f => (f, Read(f)));

    /// <summary>Reads a file the running server may hold open (its log).</summary>
    static string Read(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task A_SecureString_value_is_found_nowhere_under_the_state_directory_yet_survives_a_restart()
    {
        const string secret = "correct-horse-battery-staple-4711";
        await using (var server = await Start())
        {
            var ssm = new SsmClient(Connect(server));
            await ssm.PutParameterAsync(new PutParameterRequest { Name = "/iotilecloud/dev/SecretKey", Value = secret, Type = "SecureString" });
            await ssm.PutParameterAsync(new PutParameterRequest { Name = "/iotilecloud/dev/Plain", Value = "visible-value", Type = "String" });
            // While it runs (the write-ahead log) ...
            Assert.DoesNotContain(EverythingOnDisk(), f => f.Text.Contains(secret));
            Assert.Contains(EverythingOnDisk(), f => f.Text.Contains("visible-value")); // the search does look at what was written
        }
        // ... and after it stopped (the state files).
        Assert.DoesNotContain(EverythingOnDisk(), f => f.Text.Contains(secret));

        await using (var server = await Start())
        {
            var ssm = new SsmClient(Connect(server));
            var decrypted = await ssm.GetParameterAsync(new GetParameterRequest { Name = "/iotilecloud/dev/SecretKey", WithDecryption = true });
            Assert.Equal(secret, decrypted.Parameter!.Value);
            var encrypted = await ssm.GetParameterAsync(new GetParameterRequest { Name = "/iotilecloud/dev/SecretKey" });
            Assert.NotEqual(secret, encrypted.Parameter!.Value);
        }
    }

    [Fact]
    public async Task State_directories_are_0700_and_files_0600_even_when_an_older_run_left_them_open()
    {
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(_dir, "sqs.json"), "{}");
        File.SetUnixFileMode(Path.Combine(_dir, "sqs.json"), (UnixFileMode)0b110_100_100);
        await using (var server = await Start())
        {
            var sqs = new SqsClient(Connect(server));
            var queue = await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "private-state" });
            await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queue.QueueUrl, MessageBody = "m" });
            await new SsmClient(Connect(server)).PutParameterAsync(new PutParameterRequest { Name = "p", Value = "v", Type = "SecureString" });
            AssertPrivate();
        }
        AssertPrivate();
    }

    /// <summary>
    /// An image or a bundle can plant a symbolic link anywhere under the state directory. Making the state private must
    /// change nothing it leads to: here a scratch folder of this test's own (never a system path), open to everyone,
    /// linked both as a directory and as a file.
    /// </summary>
    [Fact]
    public async Task Making_the_state_private_never_follows_a_symbolic_link_and_keeps_owner_execute_bits()
    {
        var outside = Directory.CreateTempSubdirectory("ops-outside-").FullName;
        try
        {
            File.SetUnixFileMode(outside, (UnixFileMode)0b111_101_101);
            Directory.CreateDirectory(Path.Combine(outside, "nested"));
            File.SetUnixFileMode(Path.Combine(outside, "nested"), (UnixFileMode)0b111_101_101);
            File.WriteAllText(Path.Combine(outside, "nested", "open.txt"), "public");
            File.SetUnixFileMode(Path.Combine(outside, "nested", "open.txt"), (UnixFileMode)0b110_100_100);
            File.WriteAllText(Path.Combine(outside, "tool.sh"), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Combine(outside, "tool.sh"), (UnixFileMode)0b111_101_101);

            var planted = Path.Combine(_dir, "images", "sha256-planted", "rootfs");
            Directory.CreateDirectory(planted);
            Directory.CreateSymbolicLink(Path.Combine(planted, "escape"), outside);
            Directory.CreateSymbolicLink(Path.Combine(_dir, "escape-at-top"), outside);
            File.CreateSymbolicLink(Path.Combine(planted, "tool-link"), Path.Combine(outside, "tool.sh"));
            File.WriteAllText(Path.Combine(planted, "entrypoint.sh"), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Combine(planted, "entrypoint.sh"), (UnixFileMode)0b111_101_101);

            await using (await Start()) { }

            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(outside));
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(outside, "nested")));
            Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(outside, "nested", "open.txt")));
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(outside, "tool.sh")));
            // Inside: private, and a script of an image is still executable by its owner.
            Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(planted, "entrypoint.sh")));
            Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(planted));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    void AssertPrivate()
    {
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(_dir));
        foreach (var d in Directory.EnumerateDirectories(_dir, "*", SearchOption.AllDirectories))
            Assert.True(File.GetUnixFileMode(d) == (UnixFileMode)0b111_000_000, $"{d} is {File.GetUnixFileMode(d)}");
        var files = Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var f in files)
            Assert.True(File.GetUnixFileMode(f) == (UnixFileMode)0b110_000_000, $"{f} is {File.GetUnixFileMode(f)}");
    }

    [Fact]
    public async Task A_receipt_answered_without_waiting_for_the_disk_is_still_written_when_the_server_stops()
    {
        string url;
        await using (var server = await Start())
        {
            var sqs = new SqsClient(Connect(server));
            url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "receipts" })).QueueUrl!;
            await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "once" });
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, VisibilityTimeout = 0 });
            Assert.Single(received.Messages!);
        }
        await using (var server = await Start())
        {
            var again = await new SqsClient(Connect(server)).ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = url,
                AttributeNames = ["ApproximateReceiveCount"],
            });
            Assert.Equal("2", again.Messages!.Single().Attributes!["ApproximateReceiveCount"]);
        }
    }

    [Theory]
    [InlineData(StateDurability.Disk)]
    [InlineData(StateDurability.Process)]
    public async Task An_acknowledged_change_is_in_the_log_on_disk_before_the_answer(StateDurability durability)
    {
        await using var server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            StateDirectory = _dir,
            Delays = LifecycleDelays.Instant,
            Durability = durability,
        });
        var sqs = new SqsClient(Connect(server));
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "acknowledged" })).QueueUrl!;
        for (var n = 0; n < 20; n++)
        {
            await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = $"message-{n}" });
            Assert.Contains($"message-{n}", Read(Path.Combine(_dir, "wal.log"))); // read at once: nothing waited for a timer
        }
    }

    [Fact]
    public async Task A_torn_record_at_the_end_of_the_log_is_ignored_and_what_came_before_it_is_kept()
    {
        {
            var server = await Start();
            var sqs = new SqsClient(Connect(server));
            await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "before-the-crash" });
            // Simulate a crash: keep the log as the running server left it, then append half a record.
            var log = Path.Combine(_dir, "wal.log");
            Assert.True(new FileInfo(log).Length > 0, "an acknowledged change is in the log before the server stops");
            var copy = Encoding.UTF8.GetBytes(Read(log));
            await server.DisposeAsync();
            File.Delete(Path.Combine(_dir, "sqs.json"));
            File.WriteAllBytes(log, [.. copy, .. "0123abcd\tsqs\t{\"Queues\":{\"after-"u8.ToArray()]);
        }
        await using (var server = await Start())
        {
            var queues = await new SqsClient(Connect(server)).ListQueuesAsync(new ListQueuesRequest());
            Assert.Contains(queues.QueueUrls!, u => u.EndsWith("/before-the-crash"));
            Assert.DoesNotContain(queues.QueueUrls!, u => u.Contains("after-"));
        }
    }
}
