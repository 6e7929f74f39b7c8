namespace Ops.LocalCloud.Services.DynamoDb;

/// <summary>What DynamoDB keeps between runs: tables by name.</summary>
internal sealed class DynamoDbState
{
    public SortedDictionary<string, DynamoDbTable> Tables { get; set; } = new(StringComparer.Ordinal);
}
