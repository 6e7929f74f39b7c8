using Ops.Aws.Ec2;

namespace Ops.Stack.Core;

/// <summary>
/// What the targets of one run look up in common, read once and shared by them (a no-op <c>up</c> reads each once): the
/// account, the stage's VPC, its security groups, its secrets and its topics. Each is filled by one method of the code
/// that owns it. Every change made through <see cref="Mutation"/> forgets what a change can alter (groups, secrets,
/// topics), so a target that runs after a change reads again; the account and the VPC do not change within a run.
/// </summary>
public sealed class StageReads
{
    internal ReadOnce<string> Account { get; } = new();

    internal ReadOnce<string> Vpc { get; } = new();

    internal ReadOnce<IReadOnlyDictionary<string, SecurityGroup>> SecurityGroups { get; } = new();

    internal ReadOnce<IReadOnlyDictionary<string, string>> Secrets { get; } = new();

    internal ReadOnce<IReadOnlyDictionary<string, string>> Topics { get; } = new();

    /// <summary>Forgets every read a change of this run can alter.</summary>
    internal void ForgetChangeable()
    {
        SecurityGroups.Forget();
        Secrets.Forget();
        Topics.Forget();
    }
}
