namespace Ops.Stack.Core;

/// <summary>One difference between what exists and what the stack wants: a setting of a resource, old → new (old null: the resource is missing).</summary>
public sealed record Change(string Resource, string Setting, string? Old, string New)
{
    public override string ToString() => Old == null ? $"{Resource}: create ({New})" : $"{Resource}: {Setting} {Old} → {New}";
}
