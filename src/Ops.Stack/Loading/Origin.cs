using YamlDotNet.Core;

namespace Ops.Stack.Loading;

/// <summary>Where a value came from: the stack file, its line and column, and its field path in the file (stages.prod.ecs.cpu).</summary>
internal sealed record Origin(string File, Mark Mark, string Path)
{
    /// <summary>The one-line user error: <c>file:line:col: path: problem — fix</c>.</summary>
    public StackException Error(string problemAndFix) => new($"{File}:{Mark.Line}:{Mark.Column}: {Path}: {problemAndFix}");

    /// <summary>This origin's position with another field path (a value inherited from the built-in stack).</summary>
    public Origin WithPath(string path) => this with { Path = path };
}
