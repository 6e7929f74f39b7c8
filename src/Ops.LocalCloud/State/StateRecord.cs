namespace Ops.LocalCloud.State;

/// <summary>
/// Where one record lives in a service's state, as its JSON document names it: the property names from the root to the
/// record (<c>Tables</c>, table name, <c>Items</c>, item key). With <paramref name="ListKey"/>, the last but one name is
/// a list and the last is the value of the element's <paramref name="ListKey"/> property (an SQS message by its
/// <c>Id</c>): a new element goes to the end, an existing one is replaced in place.
/// </summary>
internal sealed record StateRecord(IReadOnlyList<string> Path, string? ListKey = null)
{
    /// <summary>One string per record, for the map of pending changes.</summary>
    public string Key { get; } = string.Join('\u001f', Path);
}
