using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Ops.Aws.Lookups;

/// <summary>DynamoDB resources by name: null when there is none.</summary>
public static class DynamoDbLookup
{
    public static async Task<TableDescription?> TableAsync(IAmazonDynamoDB dynamo, string name, CancellationToken ct)
    {
        try
        {
            return (await dynamo.DescribeTableAsync(new DescribeTableRequest { TableName = name }, ct).ConfigureAwait(false)).Table;
        }
        catch (Exception e) when (AwsErrors.Is(e, "ResourceNotFoundException"))
        {
            return null;
        }
    }
}
