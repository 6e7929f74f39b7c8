namespace Ops.Stack.Tests;

/// <summary>One finished run of the tool: the command line, exit code and both outputs.</summary>
public sealed record CliRun(string Command, int ExitCode, string Out, string Err)
{
    public string Text => Out + Err;

    public override string ToString() => $"./build.sh {Command} exited {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}";
}
