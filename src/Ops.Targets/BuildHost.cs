namespace Ops.Targets;

/// <summary>Everything a build run takes from its surroundings, passed in so tests can supply their own.</summary>
public sealed record BuildHost
{
    /// <summary>The directory holding <c>.nuke/</c>.</summary>
    public required string RootDirectory { get; init; }

    public TextWriter Out { get; init; } = TextWriter.Null;
    public TextWriter Error { get; init; } = TextWriter.Null;
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Colours and a live progress line; plain lines when false (CI, pipes).</summary>
    public bool IsTerminal { get; init; }

    /// <summary>
    /// Whether standard error is a terminal: colours its error lines, and carries the live progress line when standard
    /// output is kept for data (<c>--output json</c> redirected to a file while the log shows on the terminal).
    /// </summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>First Ctrl+C: running targets are cancelled, nothing new starts, assured targets still run.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Second Ctrl+C: assured targets are cancelled too.</summary>
    public CancellationToken HardCancellation { get; init; }

    /// <summary>Route Console.Out/Error through the build's writer while it runs (the real process does; tests run side by side and do not).</summary>
    public bool RedirectConsole { get; init; }
}
