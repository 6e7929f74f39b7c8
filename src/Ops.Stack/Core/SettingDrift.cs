namespace Ops.Stack.Core;

/// <summary>
/// A setting of an existing resource that differs from the stack, and how to correct it on the service's modify request:
/// the one shape every provisioner's drift decision returns, for the change list and for <c>status</c>.
/// </summary>
/// <typeparam name="TModify">The service's modify request (ModifyDBInstance, ModifyCluster, …).</typeparam>
internal sealed record SettingDrift<TModify>(string Setting, string Actual, string Wanted, Action<TModify> Apply)
{
    /// <summary>How <c>status</c> shows it: setting: actual → wanted.</summary>
    public override string ToString() => $"{Setting}: {Actual} → {Wanted}";

    /// <summary>
    /// The master password of a store whose secret was missing from SSM until this run generated it: the store's password is
    /// unknown to the stack, so the new one is set (<paramref name="set"/>). None when the secret was there, or on a dry run.
    /// </summary>
    public static IEnumerable<SettingDrift<TModify>> NewPassword(bool hadSecret, string? password, string parameterName, Action<TModify, string> set)
    {
        if (!hadSecret && password != null)
            yield return new("master password", "(not in SSM)", $"the generated {parameterName}", m => set(m, password));
    }

    /// <summary>
    /// The master password from <paramref name="secrets"/>' <paramref name="name"/>, generated there when missing, and the
    /// drift <see cref="NewPassword"/> reports for it.
    /// </summary>
    public static async Task<(string? Password, IReadOnlyList<SettingDrift<TModify>> Drift)> GeneratedPasswordAsync(
        Secrets.SecretStore secrets, string name, int length, Action<TModify, string> set, CancellationToken cancellationToken)
    {
        var hadSecret = await secrets.GetAsync(name, cancellationToken) != null;
        var password = await secrets.EnsureGeneratedAsync(name, length, cancellationToken);
        return (password, NewPassword(hadSecret, password, secrets.ParameterName(name), set).ToList());
    }

    /// <summary>One change per drift, each applied to <paramref name="modify"/>.</summary>
    public static List<Change> ApplyAll(string resource, IEnumerable<SettingDrift<TModify>> drifts, TModify modify)
    {
        var changes = new List<Change>();
        foreach (var drift in drifts)
        {
            changes.Add(new Change(resource, drift.Setting, drift.Actual, drift.Wanted));
            drift.Apply(modify);
        }
        return changes;
    }
}
