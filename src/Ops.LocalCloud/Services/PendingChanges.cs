using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services;

/// <summary>
/// Changes asked for but not yet in effect (a resource's PendingModifiedValues): held until a modification asked to apply
/// them at once has run its course, or else until the next maintenance window, which never comes locally.
/// </summary>
internal sealed class PendingChanges
{
    public JsonObject Values { get; set; } = new();

    /// <summary>When they take effect; null: at the next maintenance window.</summary>
    public DateTimeOffset? AppliesAt { get; set; }

    public void Hold(string member, JsonNode? value) => Values[member] = value?.DeepClone();

    /// <summary>Folds the values into <paramref name="spec"/> once they are due; true if it did.</summary>
    public bool ApplyIfDue(JsonObject spec, DateTimeOffset now)
    {
        if (AppliesAt is not { } at || now < at) return false;
        foreach (var (member, value) in Values.ToList()) spec[member] = value?.DeepClone();
        Values.Clear();
        AppliesAt = null;
        return true;
    }

    /// <summary>The held values named in <paramref name="members"/>, as the wire's PendingModifiedValues.</summary>
    public JsonObject Describe(params string[] members)
    {
        var o = new JsonObject();
        foreach (var m in members) if (Values[m] is { } v) o[m] = v.DeepClone();
        return o;
    }
}
