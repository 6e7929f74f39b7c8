using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tasks;

/// <summary>What a task runner needs from an image's config blob: entrypoint, command, environment and working directory.</summary>
internal sealed record ImageConfig(IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory)
{
    /// <summary>Reads the <c>config</c> object of an OCI/Docker image config (missing parts are empty; no working directory means <c>/</c>).</summary>
    public static ImageConfig Parse(JsonNode? json)
    {
        var config = json?["config"] ?? json?["Config"];
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Strings(config?["Env"]))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0) env[pair[..eq]] = pair[(eq + 1)..];
        }
        var workingDirectory = (string?)config?["WorkingDir"];
        return new ImageConfig(Strings(config?["Entrypoint"]), Strings(config?["Cmd"]), env, string.IsNullOrEmpty(workingDirectory) ? "/" : workingDirectory);
    }

    public JsonObject ToJson() => new()
    {
        ["config"] = new JsonObject
        {
            ["Entrypoint"] = new JsonArray(Entrypoint.Select(x => (JsonNode?)x).ToArray()),
            ["Cmd"] = new JsonArray(Command.Select(x => (JsonNode?)x).ToArray()),
            ["Env"] = new JsonArray(Environment.Select(x => (JsonNode?)$"{x.Key}={x.Value}").ToArray()),
            ["WorkingDir"] = WorkingDirectory,
        },
    };

    static List<string> Strings(JsonNode? node) => (node as JsonArray)?.Select(x => (string?)x ?? "").ToList() ?? [];
}
