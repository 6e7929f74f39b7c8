using Ops.Targets.Output;
using Ops.Targets.Parameters;
using Ops.Targets.Text;

namespace Ops.Targets.Cli;

/// <summary>Parses <c>./build.sh &lt;target&gt;… [--option value…]…</c>. Built-in options are handled here; the rest are parameters.</summary>
/// <remarks>
/// Options that take no value (<c>--help</c>, <c>--plan</c>, <c>--continue</c>) may stand anywhere: a word after one is a target.
/// Any other option takes the words up to the next option as its values.
/// </remarks>
internal static class CommandLine
{
    /// <summary>Built-in options, with the help line each gets.</summary>
    public static readonly IReadOnlyList<(string Name, string Usage, string Description)> Options =
    [
        ("help", "--help, -h", "Show targets and parameters with their current values."),
        ("plan", "--plan", "Print the execution plan and write a graph to .nuke/temp/plan.html; run nothing."),
        ("target", "--target <a+b>", "Targets to run (same as naming them first)."),
        ("skip", "--skip [<target>…]", "Skip the named targets; with no names, skip all but the invoked ones."),
        ("parallel", "--parallel <n>", "Run at most n independent targets at once (default: processor count; 1 = one at a time)."),
        ("continue", "--continue", "Resume the last failed run: targets that succeeded in it are skipped if parameters are unchanged."),
        ("profile", "--profile <name>…", "Also read .nuke/parameters.<name>.json (overrides parameters.json)."),
        ("verbosity", "--verbosity <level>", "quiet (warnings, errors, summary), normal (default), or verbose (also stack traces of failures)."),
    ];

    static readonly string[] Flags = ["help", "plan", "continue"];

    public static bool IsBuiltIn(string name) => Options.Any(o => o.Name == Names.Normalize(name)) || name == "h";

    public static Invocation Parse(IReadOnlyList<string> args)
    {
        var invocation = new Invocation();
        var i = 0;
        while (i < args.Count)
        {
            var token = args[i++];
            if (!IsOption(token))
            {
                AddTargets(invocation.Targets, token);
                continue;
            }
            var name = token.TrimStart('-');
            var values = new List<string>();
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                values.Add(name[(eq + 1)..]);
                name = name[..eq];
            }
            else if (!Flags.Contains(name == "h" ? "help" : Names.Normalize(name)))
            {
                while (i < args.Count && !IsOption(args[i])) values.Add(args[i++]);
            }
            if (name.Length == 0) throw new UsageException($"Unexpected '{token}': an option needs a name, like --stage.");

            switch (name == "h" ? "help" : Names.Normalize(name))
            {
                case "help": NoValues(name, values); invocation.Help = true; break;
                case "plan": NoValues(name, values); invocation.Plan = true; break;
                case "continue": NoValues(name, values); invocation.Continue = true; break;
                case "target":
                    if (values.Count == 0) throw new UsageException("--target needs target names, like --target deploy or --target a+b.");
                    foreach (var v in values) AddTargets(invocation.Targets, v);
                    break;
                case "skip":
                    invocation.Skip ??= [];
                    foreach (var v in values) AddTargets(invocation.Skip, v);
                    break;
                case "parallel":
                    if (values.Count != 1 || !int.TryParse(values[0], out var n) || n < 1)
                        throw new UsageException($"--parallel takes one whole number of at least 1, got '{string.Join(' ', values)}'.");
                    invocation.Parallel = n;
                    break;
                case "verbosity":
                    invocation.Verbosity = values.Count == 1 && Enum.TryParse<Verbosity>(values[0], ignoreCase: true, out var level)
                        && !int.TryParse(values[0], out _)
                        ? level
                        : throw new UsageException($"--verbosity takes one of quiet, normal, verbose, got '{string.Join(' ', values)}'.");
                    break;
                case "profile":
                    if (values.Count == 0) throw new UsageException("--profile needs a name, like --profile ci (reads .nuke/parameters.ci.json).");
                    foreach (var v in values)
                    {
                        if (v.IndexOfAny(['/', '\\']) >= 0 || v.StartsWith('.'))
                            throw new UsageException($"--profile '{v}' is not a profile name; use a plain name like ci.");
                        invocation.Profiles.Add(v);
                    }
                    break;
                default:
                    invocation.Parameters.Add(new CliParameter(name, values));
                    break;
            }
        }
        return invocation;
    }

    static bool IsOption(string token) =>
        token.StartsWith("--", StringComparison.Ordinal)
        || (token.Length > 1 && token[0] == '-' && !char.IsDigit(token[1]) && token[1] != '.');

    static void NoValues(string name, List<string> values)
    {
        if (values.Count > 0)
            throw new UsageException($"--{name} takes no value, got '{string.Join(' ', values)}'.");
    }

    static void AddTargets(List<string> list, string token)
    {
        foreach (var part in token.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            list.Add(part);
    }
}
