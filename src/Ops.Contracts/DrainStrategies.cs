namespace Ops.Contracts;

/// <summary>The names of <see cref="DrainStrategy"/> on the wire: in the stack, in OPS_DRAIN and in rollout records.</summary>
public static class DrainStrategies
{
    public const string KillAck = "kill-ack";
    public const string TaskProtection = "task-protection";

    /// <summary>Every name, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [KillAck, TaskProtection];

    /// <summary>The wire name of <paramref name="strategy"/>.</summary>
    public static string Name(DrainStrategy strategy) => strategy switch
    {
        DrainStrategy.TaskProtection => TaskProtection,
        _ => KillAck,
    };

    /// <summary>The strategy <paramref name="name"/> stands for; throws <see cref="ArgumentException"/> for any other text.</summary>
    public static DrainStrategy Parse(string name) =>
        TryParse(name, out var strategy) ? strategy : throw new ArgumentException($"'{name}' is not a drain strategy; use {string.Join(" or ", Names)}", nameof(name));

    /// <summary>The strategy a wire name stands for; false for any other text.</summary>
    public static bool TryParse(string? name, out DrainStrategy strategy)
    {
        switch (name)
        {
            case KillAck:
                strategy = DrainStrategy.KillAck;
                return true;
            case TaskProtection:
                strategy = DrainStrategy.TaskProtection;
                return true;
            default:
                strategy = DrainStrategy.KillAck;
                return false;
        }
    }
}
