namespace Ops.Targets.Output;

/// <summary>How much a run prints: <c>--verbosity quiet|normal|verbose</c>.</summary>
internal enum Verbosity
{
    /// <summary>Warnings, errors and the summary only.</summary>
    Quiet,

    /// <summary>Everything targets write; a failure as one line.</summary>
    Normal,

    /// <summary>Also the stack trace of each failure and the run's header line.</summary>
    Verbose,
}
