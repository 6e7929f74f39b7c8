using System.Text;
using System.Text.Json.Nodes;
using Ops.Stack.Output;

namespace Ops.Stack.Drills;

/// <summary>
/// What a drill found: its id and stage, each phase's duration, the time to recover (RTO: teardown start → the recreated
/// stack serving), and every marker. Written as JSON and markdown under <c>.nuke/temp/drills/</c>, summarised on one screen.
/// </summary>
public sealed class DrillReport
{
    public required string DrillId { get; init; }
    public required string Stage { get; init; }
    public required string Cloud { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public List<(string Phase, TimeSpan Duration)> Phases { get; } = [];
    public TimeSpan? Rto { get; set; }
    public IReadOnlyList<DrillMarker> Markers { get; set; } = [];

    /// <summary>Which parts were real and which the local cloud simulated (empty when the drill stopped before it could tell).</summary>
    public IReadOnlyList<DrillPart> Parts { get; set; } = [];

    /// <summary>The phase that failed and why (null: every phase ran; losses are in <see cref="Lost"/>).</summary>
    public string? Failure { get; set; }

    /// <summary>True when every phase ran and nothing was lost.</summary>
    /// <summary>Requests the local cloud's IAM refused during the drill (null: not counted — AWS, another endpoint, or enforcement off).</summary>
    public long? IamDenied { get; set; }

    public bool Ok => Failure == null && Lost.Count == 0 && (IamDenied ?? 0) == 0;

    public IReadOnlyList<DrillMarker> Lost => Markers.Where(m => m.Lost).ToList();

    /// <summary>The JSON document: the drill result of docs/output.md, the same in the report file and on stdout.</summary>
    public JsonObject ToJson()
    {
        var json = ResultJson.Envelope("drill", Stage, Cloud, Ok);
        json["drill_id"] = DrillId;
        json["started_at"] = ResultJson.Time(StartedAt);
        json["rto_seconds"] = Rto is { } rto ? Math.Round(rto.TotalSeconds, 1) : null;
        json["phases"] = new JsonArray(Phases.Select(p => (JsonNode?)new JsonObject { ["phase"] = p.Phase, ["seconds"] = Math.Round(p.Duration.TotalSeconds, 1) }).ToArray());
        json["markers"] = new JsonArray(Markers.Select(m => (JsonNode?)new JsonObject { ["store"] = m.Store, ["where"] = m.Where, ["state"] = m.State, ["detail"] = m.Detail }).ToArray());
        json["parts"] = new JsonArray(Parts.Select(p => (JsonNode?)new JsonObject { ["part"] = p.Part, ["real"] = p.Real, ["detail"] = p.Detail }).ToArray());
        json["lost"] = Lost.Count;
        json["iam_denied"] = IamDenied;
        json["failure"] = Failure;
        return json;
    }

    /// <summary>The one-screen summary (also the markdown report's body).</summary>
    public IReadOnlyList<string> Summary()
    {
        var lines = new List<string> { $"drill {DrillId} of stage {Stage} ({Cloud}), started {StartedAt:yyyy-MM-dd HH:mm:ss}Z" };
        lines.AddRange(Phases.Select(p => $"  {p.Phase,-10} {p.Duration.TotalSeconds,7:0.0} s"));
        lines.Add($"  {"RTO",-10} {(Rto is { } rto ? $"{rto.TotalSeconds,7:0.0} s (teardown start → the recreated stack serving)" : "    n/a (the stack did not come back)")}");
        lines.AddRange(Markers.Select(m => $"  {m.Store,-10} {m.State,-9} {m.Where}{(m.Detail is { } d ? $" — {d}" : "")}"));
        if (Parts.Count > 0)
        {
            lines.Add($"  real:      {Names(Parts.Where(p => p.Real))}");
            lines.Add($"  simulated: {Names(Parts.Where(p => !p.Real))}");
        }
        if (IamDenied is { } denied) lines.Add($"  iam:       {denied} request(s) refused by the roles' policies{(denied > 0 ? " — see .nuke/temp/local-cloud/iam-denied.log" : "")}");
        if (Failure != null) lines.Add($"FAILED in {Failure}");
        if (Lost.Count > 0) lines.Add($"LOST {Lost.Count}: {string.Join(", ", Lost.Select(m => m.Store))}");
        else if (Failure == null) lines.Add($"nothing lost: {Markers.Count(m => m.State == "survived")} marker(s) survived, {Markers.Count(m => m.State == "skipped")} skipped");
        return lines;
    }

    static string Names(IEnumerable<DrillPart> parts) => parts.Select(p => p.Part).ToList() is { Count: > 0 } names ? string.Join(", ", names) : "none";

    /// <summary>Writes <c>&lt;stage&gt;-&lt;drill id&gt;.json</c> and <c>.md</c> under <paramref name="directory"/>; returns their paths.</summary>
    public (string Json, string Markdown) Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, $"{Stage}-{DrillId}");
        File.WriteAllText(stem + ".json", ResultJson.Indented(ToJson()) + "\n");
        var md = new StringBuilder($"# Drill {DrillId}: stage {Stage}\n\n```\n");
        foreach (var line in Summary()) md.Append(line).Append('\n');
        md.Append("```\n");
        File.WriteAllText(stem + ".md", md.ToString());
        return (stem + ".json", stem + ".md");
    }
}
