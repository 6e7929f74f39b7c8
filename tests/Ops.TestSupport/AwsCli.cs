using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Ops.TestSupport;

/// <summary>The aws CLI (botocore, written by others) against an endpoint, with test keys and no profiles: an independent client.</summary>
public static class AwsCli
{
    /// <summary>Runs it: exit code, its output as JSON when it printed JSON, and its error output.</summary>
    public static Task<(int Code, JsonNode? Json, string Error)> Try(Uri endpoint, params string[] args) =>
        TryAs("test", "test", endpoint, args);

    /// <summary>Runs it signed with the operator keys of a local cloud (the calls that start programs need them).</summary>
    public static async Task<JsonNode?> RunAs(string accessKey, string secretKey, Uri endpoint, params string[] args)
    {
        var (code, json, error) = await TryAs(accessKey, secretKey, endpoint, args);
        Assert.True(code == 0, $"aws {string.Join(' ', args)} exited {code}: {error}");
        return json;
    }

    /// <summary>Runs it signed with temporary credentials (a role session: key, secret and session token).</summary>
    public static Task<(int Code, JsonNode? Json, string Error)> TrySession((string AccessKey, string SecretKey, string Token) session, Uri endpoint,
        params string[] args) =>
        TryAs(session.AccessKey, session.SecretKey, endpoint, args, session.Token);

    /// <summary>Runs it signed with the given keys.</summary>
    public static Task<(int Code, JsonNode? Json, string Error)> TryAs(string accessKey, string secretKey, Uri endpoint, params string[] args) =>
        TryAs(accessKey, secretKey, endpoint, args, sessionToken: null);

    /// <summary>The loaded CLIs this test process calls through (<see cref="AwsCliHost"/>).</summary>
    static readonly AwsCliHosts Hosts = new();

    static async Task<(int Code, JsonNode? Json, string Error)> TryAs(string accessKey, string secretKey, Uri endpoint, string[] args, string? sessionToken)
    {
        string[] argv = [.. args, "--endpoint-url", endpoint.ToString(), "--output", "json"];
        var env = new Dictionary<string, string>(Environment)
        {
            ["AWS_ACCESS_KEY_ID"] = accessKey,
            ["AWS_SECRET_ACCESS_KEY"] = secretKey,
        };
        if (sessionToken != null) env["AWS_SESSION_TOKEN"] = sessionToken;
        var (code, stdout, stderr) = await Hosts.TryRunAsync(argv, env) ?? await RunProcessAsync(argv, env);
        var text = stdout.TrimStart();
        var json = text.StartsWith('{') || text.StartsWith('[') ? JsonNode.Parse(text) : null;
        return (code, json, stderr);
    }

    /// <summary>The same call as its own <c>aws</c> process, where python3 cannot load the CLI as a host.</summary>
    static async Task<(int Code, string Out, string Error)> RunProcessAsync(string[] argv, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in argv) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs it and requires success; returns its JSON output.</summary>
    public static async Task<JsonNode?> Run(Uri endpoint, params string[] args)
    {
        var (code, json, error) = await Try(endpoint, args);
        Assert.True(code == 0, $"aws {string.Join(' ', args)} exited {code}: {error}");
        return json;
    }

    /// <summary>What the CLI gets in its environment: test keys, a region, and no real config or instance metadata.</summary>
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
    };
}
