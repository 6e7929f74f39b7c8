using System.Text.Json.Nodes;

namespace Ops.Stack.Tests;

/// <summary>One finished run of the tool: the command line, exit code and both outputs.</summary>
public sealed record CliRun(string Command, int ExitCode, string Out, string Err)
{
    public string Text => Out + Err;

    /// <summary>Standard output as the JSON Lines of <c>--output json</c> (docs/output.md): every line must be one JSON object.</summary>
    public List<JsonNode> Results() =>
        Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line) as JsonObject ?? throw new Xunit.Sdk.XunitException($"not a JSON object line: {line}\n{this}"))
            .Cast<JsonNode>().ToList();

    public override string ToString() => $"./build.sh {Command} exited {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}";
}
