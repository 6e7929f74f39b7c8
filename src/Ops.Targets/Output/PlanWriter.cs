using System.Net;
using System.Text;
using Ops.Targets.Planning;

namespace Ops.Targets.Output;

/// <summary>Renders an execution plan as text, and as a mermaid graph (dependency, ordering and trigger edges drawn differently) in an HTML page.</summary>
internal static class PlanWriter
{
    public static string RenderText(ExecutionPlan plan, int parallel)
    {
        var sb = new StringBuilder();
        var waves = plan.Entries.Select(e => e.Wave).DefaultIfEmpty(0).Max();
        sb.AppendLine($"Plan for {string.Join(" + ", plan.Invoked.Select(n => n.Name))}: {plan.Entries.Count} target(s) in {waves} wave(s), at most {parallel} at a time.");
        var width = plan.Entries.Select(e => e.Node.Name.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var e in plan.Entries)
        {
            var line = $"  wave {e.Wave}  {e.Node.Name.PadRight(width)}{e.Why}";
            if (e.SkipReason != null) line += $"  [skipped: {e.SkipReason}]";
            else if (e.OnlyTriggered) line += "  [runs if triggered]";
            sb.AppendLine(line);
        }
        return sb.ToString();
    }

    public static string RenderMermaid(ExecutionPlan plan)
    {
        var sb = new StringBuilder("graph LR\n");
        string Id(TargetNode n) => "t_" + n.Key;
        foreach (var e in plan.Entries)
        {
            var label = e.Node.Name + (e.SkipReason != null ? " (skipped)" : "");
            sb.AppendLine($"  {Id(e.Node)}[\"{label}\"]");
        }
        foreach (var e in plan.Entries)
        {
            var n = e.Node;
            foreach (var d in n.Dependencies.Where(plan.Contains)) sb.AppendLine($"  {Id(d)} --> {Id(n)}");
            foreach (var a in n.RunsAfter.Where(plan.Contains)) sb.AppendLine($"  {Id(a)} -.-> {Id(n)}");
            foreach (var t in n.Triggers.Where(plan.Contains)) sb.AppendLine($"  {Id(n)} ==> {Id(t)}");
        }
        foreach (var e in plan.Entries.Where(e => e.SkipReason != null)) sb.AppendLine($"  class {Id(e.Node)} skipped");
        foreach (var n in plan.Invoked) sb.AppendLine($"  class {Id(n)} invoked");
        sb.AppendLine("  classDef skipped stroke-dasharray: 5 5,color:#888");
        sb.AppendLine("  classDef invoked stroke-width:3px");
        return sb.ToString();
    }

    public static string RenderHtml(ExecutionPlan plan)
    {
        var mermaid = WebUtility.HtmlEncode(RenderMermaid(plan));
        var title = WebUtility.HtmlEncode(string.Join(" + ", plan.Invoked.Select(n => n.Name)));
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Ops plan: {{title}}</title>
            <style>body{font-family:sans-serif;margin:2em} .legend code{background:#eee;padding:0 .3em}</style></head>
            <body>
            <h1>Execution plan: {{title}}</h1>
            <p class="legend">Edges: <code>--&gt;</code> dependency, <code>-.-&gt;</code> ordering (before/after),
            <code>==&gt;</code> trigger. Dashed boxes are skipped; thick boxes were invoked.</p>
            <pre class="mermaid">
            {{mermaid}}</pre>
            <script type="module">
              import mermaid from 'https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs';
              mermaid.initialize({ startOnLoad: true });
            </script>
            </body>
            </html>
            """;
    }
}
