using System.Text;
using Ops.Targets.Cli;
using Ops.Targets.Parameters;
using Ops.Targets.Planning;

namespace Ops.Targets.Output;

/// <summary>Renders <c>--help</c>: targets with descriptions and direct dependencies, then parameters with types and current values.</summary>
internal static class HelpWriter
{
    public static string Render(TargetGraph graph, IReadOnlyList<BoundParameter> parameters, string? defaultTarget)
    {
        var sb = new StringBuilder();
        sb.AppendLine("Usage: ./build.sh <target> [<target>…] [--parameter value…]");
        sb.AppendLine();

        var listed = graph.Nodes.Where(n => !n.Definition.IsUnlisted).ToList();
        sb.AppendLine("Targets:");
        if (listed.Count == 0) sb.AppendLine("  (none declared)");
        var isDefault = (TargetNode n) => defaultTarget != null && graph.Find(defaultTarget) == n;
        var width = listed.Select(n => n.Name.Length + (isDefault(n) ? " (default)".Length : 0)).DefaultIfEmpty(0).Max() + 2;
        foreach (var node in listed)
        {
            var name = node.Name + (isDefault(node) ? " (default)" : "");
            var line = $"  {name.PadRight(width)}{node.Definition.DescriptionText ?? ""}";
            if (node.Dependencies.Count > 0)
                line += $" (depends on: {string.Join(", ", node.Dependencies.Select(d => d.Name))})";
            sb.AppendLine(line.TrimEnd());
        }
        sb.AppendLine();

        sb.AppendLine("Parameters:");
        var rows = parameters.Select(p => (Left: $"--{p.Descriptor.Name} <{ValueConverter.Describe(p.Descriptor.Type)}>", Param: p)).ToList();
        var onlyCli = (BoundParameter p) => p.Descriptor.CommandLineOnly ? " [command line only]" : "";
        var pwidth = rows.Select(r => r.Left.Length).DefaultIfEmpty(0).Max() + 2;
        if (rows.Count == 0) sb.AppendLine("  (none declared)");
        foreach (var (left, p) in rows)
        {
            sb.AppendLine($"  {left.PadRight(pwidth)}{p.Descriptor.Description}{onlyCli(p)}".TrimEnd());
            sb.AppendLine($"  {"".PadRight(pwidth)}= {CurrentValue(p)}");
        }
        sb.AppendLine();

        sb.AppendLine("Options:");
        var owidth = CommandLine.Options.Max(o => o.Usage.Length) + 2;
        foreach (var (_, usage, description) in CommandLine.Options)
            sb.AppendLine($"  {usage.PadRight(owidth)}{description}");
        sb.AppendLine();
        sb.AppendLine("Target names are case-insensitive and ignore '-': create-rds-instance = CreateRdsInstance.");
        sb.AppendLine("Parameters are read from the command line, then the environment (OPS_NAME, like OPS_STAGE; never a plain NAME),");
        sb.AppendLine("then .nuke/parameters.<profile>.json (with --profile), then .nuke/parameters.json.");
        sb.AppendLine("Those marked [command line only] (guards and secrets) are read from the command line alone.");
        return sb.ToString();
    }

    static string CurrentValue(BoundParameter p)
    {
        if (p.Error != null) return $"invalid: {p.Error} (from {p.Origin})";
        var value = p.Descriptor.IsSecret
            ? (IsUnset(p.Value) ? "(not set)" : SecretRedactor.Mask)
            : ValueConverter.Format(p.Value);
        var origin = p.Source switch
        {
            ParameterSource.Default => "default",
            _ => p.Origin,
        };
        return $"{value} ({origin})";
    }

    internal static bool IsUnset(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        Array a => a.Length == 0,
        _ => false,
    };
}
