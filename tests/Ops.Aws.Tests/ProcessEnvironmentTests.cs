using System.Diagnostics;

namespace Ops.Aws.Tests;

/// <summary>Settings AWSSDK.Core reads once per process, checked in a fresh child process.</summary>
public class ProcessEnvironmentTests
{
    static async Task<string> Probe(Uri endpoint, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Ops.Aws.Probe.dll"), endpoint.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output.Trim();
    }

    static ScriptedEndpoint AlwaysBusy() =>
        new((_, _) => new(503, """{"__type":"ServiceUnavailableException","message":"busy"}""", "application/x-amz-json-1.1"));

    [Theory]
    [InlineData("1")]
    [InlineData("4")]
    public async Task AWS_MAX_ATTEMPTS_sets_the_attempts_per_call(string attempts)
    {
        using var endpoint = AlwaysBusy();
        Assert.Equal("error ServiceUnavailableException", await Probe(endpoint.Url, new() { ["AWS_MAX_ATTEMPTS"] = attempts }));
        Assert.Equal(int.Parse(attempts), endpoint.Requests.Count);
    }

    [Fact]
    public async Task Without_settings_a_call_makes_three_attempts()
    {
        using var endpoint = AlwaysBusy();
        await Probe(endpoint.Url, new());
        Assert.Equal(3, endpoint.Requests.Count);
    }
}
