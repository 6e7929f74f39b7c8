using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ops.Aws;
using Ops.Stack.Core;

namespace Ops.Stack.Output;

/// <summary>
/// The envelope every <c>--output json</c> result shares (docs/output.md): <c>result</c> (what it is: status, rollout,
/// drill), <c>schema_version</c>, <c>stage</c>, <c>cloud</c> and <c>ok</c>, then the result's own fields; written as one
/// compact line, so a run that produces several results writes JSON Lines.
/// </summary>
public static class ResultJson
{
    /// <summary>Bumped only when a field changes meaning or goes away; new fields keep it.</summary>
    public const int SchemaVersion = 1;

    public static JsonObject Envelope(string result, StageContext context, bool ok) => Envelope(result, context.Stack.Stage, CloudName(context), ok);

    /// <summary>The <c>cloud</c> field: <c>local</c> (the local cloud, or an --endpoint-url) or <c>aws</c>.</summary>
    public static string CloudName(StageContext context) => context.Cloud == CloudKind.Aws ? "aws" : "local";

    public static JsonObject Envelope(string result, string stage, string cloud, bool ok) => new()
    {
        ["result"] = result,
        ["schema_version"] = SchemaVersion,
        ["stage"] = stage,
        ["cloud"] = cloud,
        ["ok"] = ok,
    };

    /// <summary>The result as one line of JSON (<c>+</c> and quotes as they are, not \u-escaped).</summary>
    public static string Line(JsonObject result) => result.ToJsonString(Compact);

    /// <summary>The result indented, for a file a person reads (the drill's report).</summary>
    public static string Indented(JsonObject result) => result.ToJsonString(new JsonSerializerOptions(Compact) { WriteIndented = true });

    static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>UTC ISO 8601, or null.</summary>
    public static string? Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
