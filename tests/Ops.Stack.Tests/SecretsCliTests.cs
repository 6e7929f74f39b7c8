using System.Text.Json.Nodes;

namespace Ops.Stack.Tests;

/// <summary>secrets-set, secrets-list and secrets-check as a user runs them, against an in-process LocalCloud: values only from stdin, a file or a variable,
/// and never printed.</summary>
[Collection(FleetCloudCollection.Name)]
public sealed class SecretsCliTests(FleetCloud cloud)
{
    static readonly Lazy<string> StackFile = new(() =>
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("ops-secrets-").FullName, "ops.stack.yml");
        File.WriteAllText(file, "stages:\n  sc1:\n    secrets: {required: [GoogleApiKey, TwilioSID]}\n  sc2: {}\n");
        return file;
    });

    Task<CliRun> Run(string[] args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null) =>
        OpsCli.RunAsync([.. args, "--endpoint-url", cloud.Server.Url.ToString(), "--stack", StackFile.Value], TimeSpan.FromMinutes(3), stdin ?? "", environment);

    async Task<string> ValueAsync(string parameter) =>
        (await AwsCli.Run(cloud.Server.Url, "ssm", "get-parameter", "--name", parameter, "--with-decryption"))!["Parameter"]!["Value"]!.ToString();

    [Fact]
    public async Task Secrets_come_from_stdin_a_file_or_a_variable_are_listed_and_checked_without_their_values()
    {
        var check = await Run(["secrets-check", "--stage", "sc1"]);
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains("missing iotilecloud.sc1.GoogleApiKey: set it with … | ./build.sh secrets-set --stage sc1 --secret GoogleApiKey", check.Out);
        Assert.Contains("2 secret(s) of sc1 missing: GoogleApiKey, TwilioSID", check.Text);

        const string fromStdin = "stdin-value-Zq81";
        var set = await Run(["secrets-set", "--stage", "sc1", "--secret", "GoogleApiKey"], fromStdin + "\n");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("set iotilecloud.sc1.GoogleApiKey (version 1)", set.Out);
        Assert.Equal(fromStdin, await ValueAsync("iotilecloud.sc1.GoogleApiKey"));

        var file = Path.Combine(Path.GetDirectoryName(StackFile.Value)!, "twilio.txt");
        const string fromFile = "file-value-Pp02";
        await File.WriteAllTextAsync(file, fromFile + "\n");
        var setFile = await Run(["secrets-set", "--stage", "sc1", "--secret", "TwilioSID", "--from-file", file]);
        Assert.True(setFile.ExitCode == 0, setFile.ToString());
        Assert.Equal(fromFile, await ValueAsync("iotilecloud.sc1.TwilioSID"));

        const string fromEnv = "env-value-Kk73";
        var setEnv = await Run(["secrets-set", "--stage", "sc1", "--secret", "GoogleApiKey", "--from-env", "OPS_TEST_SECRET"], environment: new Dictionary<string, string> { ["OPS_TEST_SECRET"] = fromEnv });
        Assert.True(setEnv.ExitCode == 0, setEnv.ToString());
        Assert.Contains("set iotilecloud.sc1.GoogleApiKey (version 2)", setEnv.Out);
        Assert.Equal(fromEnv, await ValueAsync("iotilecloud.sc1.GoogleApiKey"));

        var ok = await Run(["secrets-check", "--stage", "sc1"]);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        var list = await Run(["secrets-list", "--stage", "sc1", "--output", "json"]);
        Assert.True(list.ExitCode == 0, list.ToString());
        var rows = JsonNode.Parse(list.Out)!["secrets"]!.AsArray();
        var google = rows.Single(r => r!["name"]!.ToString() == "GoogleApiKey")!;
        Assert.True((bool)google["exists"]!);
        Assert.Equal("SecureString", google["type"]!.ToString());
        Assert.Equal(2, (int)google["version"]!);

        foreach (var run in new[] { set, setFile, setEnv, ok, list })
            foreach (var value in new[] { fromStdin, fromFile, fromEnv })
                Assert.DoesNotContain(value, run.Text);
    }

    [Theory]
    [InlineData(new[] { "--secret", "GoogleApiKey", "--value", "plain-Text-9" }, "--value is not accepted")]
    [InlineData(new[] { "--secret", "Bad Name" }, "--secret 'Bad Name' is not a secret name")]
    [InlineData(new string[0], "--secret is required")]
    [InlineData(new[] { "--secret", "GoogleApiKey", "--from-file", "/nonexistent/value.txt" }, "--from-file /nonexistent/value.txt: no such file")]
    [InlineData(new[] { "--secret", "GoogleApiKey", "--from-file", "docs" }, "--from-file docs is a directory")]
    [InlineData(new[] { "--secret", "GoogleApiKey", "--from-env", "OPS_NOT_SET_ANYWHERE" }, "--from-env OPS_NOT_SET_ANYWHERE: the variable is not set")]
    public async Task Bad_secrets_set_input_is_one_line_exit_2_and_nothing_stored(string[] args, string expected)
    {
        var before = cloud.Server.Requests.Entries.Count;
        var run = await Run(["secrets-set", "--stage", "sc2", .. args], stdin: "piped-value\n");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"error: {expected}", run.Text);
        Assert.DoesNotContain("   at ", run.Text);
        Assert.DoesNotContain("plain-Text-9", run.Text);
        Assert.Empty(cloud.MutationsSince(before));
    }

    [Fact]
    public async Task An_empty_value_is_refused()
    {
        var run = await Run(["secrets-set", "--stage", "sc2", "--secret", "GoogleApiKey"], stdin: "\n");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("the value is empty", run.Text);
    }
}
