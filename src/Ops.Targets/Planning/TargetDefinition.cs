using System.Linq.Expressions;
using System.Reflection;

namespace Ops.Targets.Planning;

/// <summary>What one target declaration said about itself, before references are resolved to names.</summary>
internal sealed class TargetDefinition(string name, int order) : ITargetDefinition
{
    public string Name { get; } = name;
    public int Order { get; } = order;
    public string? DescriptionText { get; private set; }
    public List<Target> DependsOnTargets { get; } = [];
    public List<Target> DependentForTargets { get; } = [];
    public List<Target> BeforeTargets { get; } = [];
    public List<Target> AfterTargets { get; } = [];
    public List<Target> TriggersTargets { get; } = [];
    public List<Target> TriggeredByTargets { get; } = [];
    public List<Condition> StaticConditions { get; } = [];
    public List<Condition> DynamicConditions { get; } = [];
    public List<Requirement> Requirements { get; } = [];
    public bool Proceed { get; private set; }
    public bool Assured { get; private set; }
    public bool IsUnlisted { get; private set; }
    public List<Func<CancellationToken, Task>> Actions { get; } = [];

    public ITargetDefinition Description(string description) { DescriptionText = description; return this; }
    public ITargetDefinition DependsOn(params Target[] targets) { DependsOnTargets.AddRange(targets); return this; }
    public ITargetDefinition DependentFor(params Target[] targets) { DependentForTargets.AddRange(targets); return this; }
    public ITargetDefinition Before(params Target[] targets) { BeforeTargets.AddRange(targets); return this; }
    public ITargetDefinition After(params Target[] targets) { AfterTargets.AddRange(targets); return this; }
    public ITargetDefinition Triggers(params Target[] targets) { TriggersTargets.AddRange(targets); return this; }
    public ITargetDefinition TriggeredBy(params Target[] targets) { TriggeredByTargets.AddRange(targets); return this; }

    public ITargetDefinition OnlyWhenStatic(Expression<Func<bool>> condition)
    {
        StaticConditions.Add(new Condition(ExpressionText.Of(condition), condition.Compile()));
        return this;
    }

    public ITargetDefinition OnlyWhenDynamic(Expression<Func<bool>> condition)
    {
        DynamicConditions.Add(new Condition(ExpressionText.Of(condition), condition.Compile()));
        return this;
    }

    public ITargetDefinition Requires(params Expression<Func<object?>>[] parameters)
    {
        foreach (var parameter in parameters)
        {
            var member = MemberOf(parameter.Body)
                ?? throw new BuildDefinitionException(
                    $"Target '{Name}': Requires(() => X) takes a parameter member, got '{ExpressionText.Of(parameter)}'.");
            Requirements.Add(new Requirement(ExpressionText.Of(parameter), member, parameter.Compile()));
        }
        return this;
    }

    public ITargetDefinition Requires(Expression<Func<bool>> condition)
    {
        var check = condition.Compile();
        Requirements.Add(new Requirement(ExpressionText.Of(condition), null, () => check()));
        return this;
    }

    public ITargetDefinition Validates(Action check, string? text = null)
    {
        Requirements.Add(new Requirement(text ?? "a check", null, () =>
        {
            check();
            return true;
        }));
        return this;
    }

    public ITargetDefinition ProceedAfterFailure() { Proceed = true; return this; }
    public ITargetDefinition AssuredAfterFailure() { Assured = true; return this; }
    public ITargetDefinition Unlisted() { IsUnlisted = true; return this; }

    public ITargetDefinition Executes(Action action)
    {
        Actions.Add(_ => { action(); return Task.CompletedTask; });
        return this;
    }

    public ITargetDefinition Executes(Func<Task> action) { Actions.Add(_ => action()); return this; }
    public ITargetDefinition Executes(Func<CancellationToken, Task> action) { Actions.Add(action); return this; }

    static MemberInfo? MemberOf(Expression body) => body switch
    {
        UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } u => MemberOf(u.Operand),
        MemberExpression m => m.Member,
        _ => null,
    };
}

/// <summary>A condition with the source text it was written as, for skip reasons.</summary>
internal sealed record Condition(string Text, Func<bool> Evaluate);

/// <summary>A precondition; <see cref="Member"/> is set when it names a parameter, <see cref="Value"/> yields its value or the bool.</summary>
internal sealed record Requirement(string Text, MemberInfo? Member, Func<object?> Value);
