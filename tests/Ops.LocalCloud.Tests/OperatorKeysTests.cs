using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// Publicly known keys cannot make the local cloud start a program: with real tasks, the test/test keys may describe,
/// queue and store, but RunTask, CreateService or UpdateService need the operator's keys, which live 0600 in the state
/// directory and are never the public ones.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OperatorKeysTests
{
    [Fact]
    public async Task The_public_keys_start_no_task_and_the_operator_keys_do()
    {
        await using var cloud = await TaskCloud.StartAsync();
        var marker = Path.Combine(cloud.Root, "ran");
        var definition = await cloud.LocalCommandDefinition("hostile", cloud.Script("hostile.sh", $"touch '{marker}'\nsleep 30\n"));

        foreach (var (operation, input) in new (string, JsonObject)[]
        {
            ("RunTask", new JsonObject { ["cluster"] = "dev", ["taskDefinition"] = definition, ["launchType"] = "FARGATE" }),
            ("StartTask", new JsonObject { ["cluster"] = "dev", ["taskDefinition"] = definition, ["containerInstances"] = new JsonArray("x") }),
            ("CreateService", new JsonObject { ["cluster"] = "dev", ["serviceName"] = "hostile", ["taskDefinition"] = definition, ["desiredCount"] = 1, ["launchType"] = "FARGATE" }),
            ("UpdateService", new JsonObject { ["cluster"] = "dev", ["service"] = "hostile", ["desiredCount"] = 2 }),
        })
        {
            var (status, body) = await cloud.TryEcs(operation, input, publicKeys: true);
            Assert.Equal(403, status);
            Assert.Contains("AccessDenied", body);
            Assert.Contains("operator keys, not the public", body);
        }
        // Everything that starts nothing still answers the public keys.
        var (listed, _) = await cloud.TryEcs("ListTasks", new JsonObject { ["cluster"] = "dev" }, publicKeys: true);
        Assert.Equal(200, listed);
        await Task.Delay(300);
        Assert.False(File.Exists(marker));

        var id = await cloud.RunTask(definition);
        await cloud.WaitFor(id, "RUNNING");
        for (var i = 0; i < 100 && !File.Exists(marker); i++) await Task.Delay(100);
        Assert.True(File.Exists(marker));
    }

    [Fact]
    public async Task Operator_keys_are_made_once_per_state_directory_private_and_never_the_public_ones()
    {
        var state = Directory.CreateTempSubdirectory("ops-keys-").FullName;
        try
        {
            string first;
            await using (var server = await LocalCloudServer.StartAsync(new LocalCloudOptions { StateDirectory = state, Delays = LifecycleDelays.Instant,
                RunDataStores = false }))
            {
                first = server.Options.AccessKey;
                Assert.NotEqual(OperatorCredentials.PublicAccessKey, first);
                Assert.Equal(40, server.Options.SecretKey.Length);
                Assert.DoesNotContain(server.Options.SecretKey, new OperatorCredentials(first, server.Options.SecretKey).ToString());
            }
            foreach (var file in new[] { OperatorCredentials.JsonFileName, OperatorCredentials.EnvFileName })
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(state, file)));
            await using (var again = await LocalCloudServer.StartAsync(new LocalCloudOptions { StateDirectory = state, Delays = LifecycleDelays.Instant,
                RunDataStores = false }))
                Assert.Equal(first, again.Options.AccessKey);
            Assert.Contains($"export AWS_ACCESS_KEY_ID='{first}'", File.ReadAllText(Path.Combine(state, OperatorCredentials.EnvFileName)));

            var error = await Assert.ThrowsAsync<ArgumentException>(() => LocalCloudServer.StartAsync(new LocalCloudOptions { AccessKey = "test",
                SecretKey = "test" }));
            Assert.Contains("may not be the public 'test' key", error.Message);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
