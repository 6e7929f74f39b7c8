using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Ops.Aws.Tests;

/// <summary>The aws CLI (botocore, written by others) against the same endpoint: an independent client for set-up and cross-checks.</summary>
public static class AwsCli
{
    public static async Task<JsonNode?> Run(Uri endpoint, params string[] args)
    {
        var info = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--endpoint-url");
        info.ArgumentList.Add(endpoint.ToString());
        info.ArgumentList.Add("--output");
        info.ArgumentList.Add("json");
        info.Environment["AWS_ACCESS_KEY_ID"] = "test";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"aws {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}");
        var text = await stdout;
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }
}
