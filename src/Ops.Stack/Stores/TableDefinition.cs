namespace Ops.Stack.Stores;

/// <summary>The key schema Ops gives one of the stage's DynamoDB tables: hash and optional range key, and an optional GSI (all string attributes).</summary>
public sealed record TableDefinition(string Name, string Hash, string? Range, string? IndexName = null, string? IndexHash = null)
{
    /// <summary>The key schema as DescribeTable shows it: <c>id:HASH,timestamp:RANGE</c>.</summary>
    public string Keys => Range == null ? $"{Hash}:HASH" : $"{Hash}:HASH,{Range}:RANGE";
}
