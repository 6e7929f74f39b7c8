using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.DynamoDb;

/// <summary>
/// DynamoDB: tables (with global secondary indexes) and items, conditional puts, updates and deletes,
/// queries and scans with filter expressions and pagination — enough for a worker-log table and a lease lock.
/// </summary>
internal sealed partial class DynamoDbService : ServiceHandler<DynamoDbState>
{
    public override string Name => "dynamodb";

    public DynamoDbService(StateStore store) : base(store)
    {
        On("CreateTable", CreateTable);
        On("DescribeTable", DescribeTable);
        On("UpdateTable", UpdateTable);
        On("DeleteTable", DeleteTable);
        On("TagResource", TagResource);
        On("ListTagsOfResource", ListTagsOfResource);
        On("ListTables", ListTables);
        On("PutItem", PutItem);
        On("GetItem", GetItem);
        On("UpdateItem", UpdateItem);
        On("DeleteItem", DeleteItem);
        On("Query", Query);
        On("Scan", Scan);
        On("BatchWriteItem", BatchWriteItem);
        On("BatchGetItem", BatchGetItem);
    }
}
