using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests.Conformance;

public static partial class ConformanceTable
{
    static string[] DynamoTableArgs(ConformanceContext x) =>
    [
        "dynamodb", "create-table", "--table-name", x.Name, "--billing-mode", "PAY_PER_REQUEST",
        "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
        "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
    ];

    const string DynamoArn = "arn:aws:dynamodb:us-east-1:123456789012:table/";

    static Task CreateDynamoTable(ConformanceContext x) => x.Aws(DynamoTableArgs(x));

    static Task PutDynamoItem(ConformanceContext x, string item) => x.Aws("dynamodb", "put-item", "--table-name", x.Name, "--item", item);

    /// <summary>A table holding device d1's readings 1 (ok) and 2 (failed), and device d2's reading 1 (ok).</summary>
    static async Task CreateDynamoTableWithItems(ConformanceContext x)
    {
        await CreateDynamoTable(x);
        await PutDynamoItem(x, """{"pk":{"S":"d1"},"sk":{"N":"1"},"state":{"S":"ok"},"count":{"N":"1"}}""");
        await PutDynamoItem(x, """{"pk":{"S":"d1"},"sk":{"N":"2"},"state":{"S":"failed"}}""");
        await PutDynamoItem(x, """{"pk":{"S":"d2"},"sk":{"N":"1"},"state":{"S":"ok"}}""");
    }

    static async Task CreateDynamoTableWithItem(ConformanceContext x)
    {
        await CreateDynamoTable(x);
        await PutDynamoItem(x, """{"pk":{"S":"d1"},"sk":{"N":"1"},"state":{"S":"ok"},"count":{"N":"1"}}""");
    }

    const string DynamoFirstKey = """{"pk":{"S":"d1"},"sk":{"N":"1"}}""";

    static async Task<JsonNode?> GetDynamoFirstItem(ConformanceContext x) => (await x.Aws("dynamodb", "get-item", "--table-name", x.Name, "--key", DynamoFirstKey))?["Item"];

    static IEnumerable<string> DynamoKeys(JsonNode? items) => items!.AsArray().Select(i => $"{i!["pk"]!["S"]}/{i["sk"]!["N"]}");

    static ConformanceRow[] DynamoDb =>
    [
        Row("dynamodb", "CreateTable", DynamoTableArgs, (x, r) =>
        {
            var t = r!["TableDescription"]!;
            Assert.Equal((x.Name, $"arn:aws:dynamodb:us-east-1:{LocalAccount}:table/{x.Name}", "PAY_PER_REQUEST"),
                ((string?)t["TableName"], (string?)t["TableArn"], (string?)t["BillingModeSummary"]!["BillingMode"]));
            Assert.Equal(["pk:HASH", "sk:RANGE"], t["KeySchema"]!.AsArray().Select(k => $"{k!["AttributeName"]}:{k["KeyType"]}"));
            return Done;
        }),
        Error("dynamodb", "CreateTable", DynamoTableArgs, "ResourceInUseException", CreateDynamoTable),
        Row("dynamodb", "DescribeTable", x => ["dynamodb", "describe-table", "--table-name", x.Name], (x, r) =>
        {
            var t = r!["Table"]!;
            Assert.Equal((x.Name, "ACTIVE", 1), ((string?)t["TableName"], (string?)t["TableStatus"], (int?)t["ItemCount"]));
            return Done;
        }, CreateDynamoTableWithItem),
        Error("dynamodb", "DescribeTable", x => ["dynamodb", "describe-table", "--table-name", x.Name], "ResourceNotFoundException"),
        Row("dynamodb", "DeleteTable", x => ["dynamodb", "delete-table", "--table-name", x.Name], async (x, r) =>
        {
            Assert.Equal((x.Name, "DELETING"), ((string?)r!["TableDescription"]!["TableName"], (string?)r["TableDescription"]!["TableStatus"]));
            Assert.DoesNotContain(x.Name, (await x.Aws("dynamodb", "list-tables"))!["TableNames"]!.AsArray().Select(n => (string?)n));
        }, CreateDynamoTable),
        Error("dynamodb", "DeleteTable", x => ["dynamodb", "delete-table", "--table-name", x.Name], "ResourceNotFoundException"),
        // A protected table cannot be deleted until UpdateTable turns the protection off (destroy does that first).
        Error("dynamodb", "DeleteTable", x => ["dynamodb", "delete-table", "--table-name", x.Name], "ValidationException",
            x => x.Aws([.. DynamoTableArgs(x), "--deletion-protection-enabled"])),
        Row("dynamodb", "UpdateTable", x => ["dynamodb", "update-table", "--table-name", x.Name, "--no-deletion-protection-enabled"], async (x, r) =>
        {
            Assert.Equal((x.Name, false), ((string?)r!["TableDescription"]!["TableName"], (bool?)r["TableDescription"]!["DeletionProtectionEnabled"]));
            Assert.False((bool)(await x.Aws("dynamodb", "describe-table", "--table-name", x.Name))!["Table"]!["DeletionProtectionEnabled"]!);
            await x.Aws("dynamodb", "delete-table", "--table-name", x.Name);
        }, async x =>
        {
            await x.Aws([.. DynamoTableArgs(x), "--deletion-protection-enabled"]);
            Assert.True((bool)(await x.Aws("dynamodb", "describe-table", "--table-name", x.Name))!["Table"]!["DeletionProtectionEnabled"]!);
        }),
        Error("dynamodb", "UpdateTable", x => ["dynamodb", "update-table", "--table-name", x.Name, "--deletion-protection-enabled"], "ResourceNotFoundException"),
        Row("dynamodb", "ListTables", _ => ["dynamodb", "list-tables"], (x, r) =>
        {
            Assert.Contains(x.Name, r!["TableNames"]!.AsArray().Select(n => (string?)n));
            return Done;
        }, CreateDynamoTable),
        Row("dynamodb", "PutItem",
            x => ["dynamodb", "put-item", "--table-name", x.Name, "--item", """{"pk":{"S":"d1"},"sk":{"N":"1"},"state":{"S":"failed"}}""", "--return-values", "ALL_OLD"],
            async (x, r) =>
            {
                Assert.Equal(("ok", "1"), ((string?)r!["Attributes"]!["state"]!["S"], (string?)r["Attributes"]!["count"]!["N"]));
                var item = await GetDynamoFirstItem(x);
                Assert.Equal(("failed", null), ((string?)item!["state"]!["S"], item["count"]));
            }, CreateDynamoTableWithItem),
        Error("dynamodb", "PutItem",
            x => ["dynamodb", "put-item", "--table-name", x.Name, "--item", """{"pk":{"S":"d1"},"sk":{"N":"1"}}""", "--condition-expression", "attribute_not_exists(pk)"],
            "ConditionalCheckFailedException", CreateDynamoTableWithItem),
        Error("dynamodb", "PutItem", x => ["dynamodb", "put-item", "--table-name", x.Name, "--item", """{"pk":{"S":"d1"},"sk":{"N":"1"}}"""], "ResourceNotFoundException"),
        Row("dynamodb", "GetItem", x => ["dynamodb", "get-item", "--table-name", x.Name, "--key", DynamoFirstKey], (_, r) =>
        {
            var item = r!["Item"]!;
            Assert.Equal(("d1", "1", "ok", "1"), ((string?)item["pk"]!["S"], (string?)item["sk"]!["N"], (string?)item["state"]!["S"], (string?)item["count"]!["N"]));
            return Done;
        }, CreateDynamoTableWithItem),
        Row("dynamodb", "UpdateItem",
            x => ["dynamodb", "update-item", "--table-name", x.Name, "--key", DynamoFirstKey, "--update-expression", "SET #c = #c + :one",
                "--expression-attribute-names", """{"#c":"count"}""", "--expression-attribute-values", """{":one":{"N":"1"}}""", "--return-values", "UPDATED_NEW"],
            async (x, r) =>
            {
                // UPDATED_NEW returns only the attributes the update wrote, as they are after it.
                Assert.Equal("""{"count":{"N":"2"}}""", r!["Attributes"]!.ToJsonString());
                Assert.Equal(("2", "ok"), ((string?)(await GetDynamoFirstItem(x))!["count"]!["N"], (string?)(await GetDynamoFirstItem(x))!["state"]!["S"]));
            }, CreateDynamoTableWithItem),
        Error("dynamodb", "UpdateItem",
            x => ["dynamodb", "update-item", "--table-name", x.Name, "--key", DynamoFirstKey, "--update-expression", "SET #s = :s", "--condition-expression", "#s = :was",
                "--expression-attribute-names", """{"#s":"state"}""", "--expression-attribute-values", """{":s":{"S":"ok"},":was":{"S":"failed"}}"""],
            "ConditionalCheckFailedException", CreateDynamoTableWithItem),
        Row("dynamodb", "DeleteItem", x => ["dynamodb", "delete-item", "--table-name", x.Name, "--key", DynamoFirstKey, "--return-values", "ALL_OLD"], async (x, r) =>
        {
            Assert.Equal("ok", (string?)r!["Attributes"]!["state"]!["S"]);
            Assert.Null(await GetDynamoFirstItem(x));
        }, CreateDynamoTableWithItem),
        Error("dynamodb", "DeleteItem", x => ["dynamodb", "delete-item", "--table-name", x.Name, "--key", DynamoFirstKey, "--condition-expression", "attribute_exists(pk)"],
            "ConditionalCheckFailedException", CreateDynamoTable),
        Row("dynamodb", "Query",
            x => ["dynamodb", "query", "--table-name", x.Name, "--key-condition-expression", "pk = :p", "--expression-attribute-values", """{":p":{"S":"d1"}}""",
                "--no-scan-index-forward"], (_, r) =>
            {
                Assert.Equal((2, 2), ((int)r!["Count"]!, (int)r["ScannedCount"]!));
                Assert.Equal(["d1/2", "d1/1"], DynamoKeys(r["Items"]));
                return Done;
            }, CreateDynamoTableWithItems),
        Row("dynamodb", "BatchWriteItem",
            x => ["dynamodb", "batch-write-item", "--request-items", new JsonObject
            {
                [x.Name] = new JsonArray(
                    JsonNode.Parse("""{"PutRequest":{"Item":{"pk":{"S":"d3"},"sk":{"N":"1"},"state":{"S":"new"}}}}"""),
                    JsonNode.Parse("{\"DeleteRequest\":{\"Key\":" + DynamoFirstKey + "}}")),
            }.ToJsonString()],
            async (x, r) =>
            {
                Assert.Empty(r!["UnprocessedItems"]!.AsObject());
                Assert.Null(await GetDynamoFirstItem(x));
                var added = (await x.Aws("dynamodb", "get-item", "--table-name", x.Name, "--key", """{"pk":{"S":"d3"},"sk":{"N":"1"}}"""))?["Item"];
                Assert.Equal("new", (string?)added!["state"]!["S"]);
            }, CreateDynamoTableWithItem),
        Error("dynamodb", "BatchWriteItem",
            x => ["dynamodb", "batch-write-item", "--request-items", new JsonObject
            {
                [x.Name] = new JsonArray(JsonNode.Parse("{\"DeleteRequest\":{\"Key\":" + DynamoFirstKey + "}}"), JsonNode.Parse("{\"DeleteRequest\":{\"Key\":" + DynamoFirstKey + "}}")),
            }.ToJsonString()],
            "ValidationException", CreateDynamoTableWithItem),
        Row("dynamodb", "BatchGetItem",
            x => ["dynamodb", "batch-get-item", "--request-items", new JsonObject
            {
                [x.Name] = new JsonObject { ["Keys"] = new JsonArray(JsonNode.Parse(DynamoFirstKey), JsonNode.Parse("""{"pk":{"S":"absent"},"sk":{"N":"9"}}""")) },
            }.ToJsonString()],
            (x, r) =>
            {
                var items = r!["Responses"]![x.Name]!.AsArray();
                Assert.Equal("ok", (string?)items.Single()!["state"]!["S"]);
                Assert.Empty(r["UnprocessedKeys"]!.AsObject());
                return Done;
            }, CreateDynamoTableWithItem),
        Error("dynamodb", "BatchGetItem",
            x => ["dynamodb", "batch-get-item", "--request-items", new JsonObject { [x.Name] = new JsonObject { ["Keys"] = new JsonArray(JsonNode.Parse(DynamoFirstKey)) } }.ToJsonString()],
            "ResourceNotFoundException"),
        Row("dynamodb", "Scan",
            x => ["dynamodb", "scan", "--table-name", x.Name, "--filter-expression", "#s = :ok", "--expression-attribute-names", """{"#s":"state"}""",
                "--expression-attribute-values", """{":ok":{"S":"ok"}}"""], async (x, r) =>
            {
                Assert.Equal((2, 3), ((int)r!["Count"]!, (int)r["ScannedCount"]!));
                Assert.Equal(["d1/1", "d2/1"], DynamoKeys(r["Items"]).Order());
                // Select=COUNT answers the counts only, as DynamoDB does (counting worker-log items must not fetch them all).
                var counted = await x.Aws("dynamodb", "scan", "--table-name", x.Name, "--select", "COUNT");
                Assert.Equal((3, 3), ((int)counted!["Count"]!, (int)counted["ScannedCount"]!));
                Assert.Null(counted["Items"]);
            }, CreateDynamoTableWithItems),
        Error("dynamodb", "Scan", x => ["dynamodb", "scan", "--table-name", x.Name], "ResourceNotFoundException"),
        Row("dynamodb", "TagResource", x => ["dynamodb", "tag-resource", "--resource-arn", DynamoArn + x.Name, "--tags", "Key=Stage,Value=dev"], async (x, r) =>
        {
            Assert.Null(r);
            var tags = (await x.Aws("dynamodb", "list-tags-of-resource", "--resource-arn", DynamoArn + x.Name))!["Tags"]!.AsArray();
            Assert.Contains(tags, t => (string?)t!["Key"] == "Stage" && (string?)t["Value"] == "dev");
        }, CreateDynamoTable),
        Error("dynamodb", "TagResource", x => ["dynamodb", "tag-resource", "--resource-arn", DynamoArn + x.Name, "--tags", "Key=Stage,Value=dev"], "ResourceNotFoundException"),
        Row("dynamodb", "ListTagsOfResource", x => ["dynamodb", "list-tags-of-resource", "--resource-arn", DynamoArn + x.Name], (x, r) =>
        {
            Assert.Empty(r!["Tags"]!.AsArray());
            return Done;
        }, CreateDynamoTable),
        Error("dynamodb", "ListTagsOfResource", x => ["dynamodb", "list-tags-of-resource", "--resource-arn", DynamoArn + x.Name], "ResourceNotFoundException"),
    ];
}
