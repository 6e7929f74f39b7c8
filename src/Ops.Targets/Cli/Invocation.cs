using Ops.Targets.Output;
using Ops.Targets.Parameters;

namespace Ops.Targets.Cli;

/// <summary>What the command line asked for: targets, built-in options, and parameter values still as text.</summary>
internal sealed record Invocation
{
    public List<string> Targets { get; } = [];
    public bool Help { get; set; }
    public bool Plan { get; set; }

    /// <summary>null: not given; empty: skip every target not invoked by name; else the targets to skip.</summary>
    public List<string>? Skip { get; set; }

    public int? Parallel { get; set; }
    public bool Continue { get; set; }
    public Verbosity Verbosity { get; set; } = Verbosity.Normal;
    public List<string> Profiles { get; } = [];
    public List<CliParameter> Parameters { get; } = [];
}
