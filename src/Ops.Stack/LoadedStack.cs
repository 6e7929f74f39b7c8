using Ops.Stack.Model;

namespace Ops.Stack;

/// <summary>The stack of every stage, loaded and validated: the built-in stack with a stack file's overrides, if there is one.</summary>
public sealed class LoadedStack
{
    readonly IReadOnlyDictionary<string, StageStack> _stages;

    internal LoadedStack(string? source, IReadOnlyDictionary<string, StageStack> stages)
    {
        Source = source;
        _stages = stages;
    }

    /// <summary>The stack file as the user named it (ops.stack.yml, --stack PATH), or null for the built-in stack.</summary>
    public string? Source { get; }

    /// <summary>The stages defined: dev, stage, prod, then the stack file's others in file order.</summary>
    public IReadOnlyList<string> Stages => _stages.Keys.ToList();

    /// <summary>The resolved stack of <paramref name="stage"/> (case does not matter); an undefined stage is a <see cref="StackException"/>.</summary>
    public StageStack For(string stage)
    {
        var match = _stages.Keys.FirstOrDefault(s => string.Equals(s, stage, StringComparison.OrdinalIgnoreCase));
        if (match != null) return _stages[match];
        throw new StackException(
            $"--stage '{stage}' is not defined by the stack (stages: {string.Join(", ", _stages.Keys)}); add it under stages: in {Source ?? StackLoader.FileNames[0]}");
    }
}
