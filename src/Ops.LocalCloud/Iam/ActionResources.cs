using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Iam;

/// <summary>
/// What IAM evaluates a request as: its action (<c>service:Operation</c>) and the ARNs it touches, read from the decoded
/// input the way AWS authorizes it — SQS by queue, SNS by topic, SSM by parameter, DynamoDB by table or index (each
/// table of a batch), Logs by log group (and stream), Firehose by stream, S3 by bucket or object. Other services'
/// operations are evaluated against <c>*</c>, so a role needs a statement whose resource matches <c>*</c> for them.
/// </summary>
public static class ActionResources
{
    public static IReadOnlyList<string> Of(string service, string operation, JsonObject input, string region, string account)
    {
        string Arn(string svc, string resource) => $"arn:aws:{svc}:{region}:{account}:{resource}";
        string? S(string member) => (string?)(input[member] as JsonValue);
        IEnumerable<string> List(string member) => (input[member] as JsonArray)?.Select(n => (string?)n).OfType<string>() ?? [];
        string Parameter(string name) => Arn("ssm", "parameter" + (name.StartsWith('/') ? name : "/" + name));
        string Table(string name) => Arn("dynamodb", $"table/{name}");

        string?[] One(string? arn) => [arn];
        var resources = service switch
        {
            "sqs" => One(S("QueueUrl") is { } url ? Arn("sqs", url.TrimEnd('/')[(url.TrimEnd('/').LastIndexOf('/') + 1)..]) : S("QueueName") is { } q ? Arn("sqs", q) : null),
            "sns" => One(S("TopicArn") ?? (S("Name") is { } topic ? Arn("sns", topic) : null) ?? S("SubscriptionArn")),
            "ssm" => operation switch
            {
                "GetParameters" or "DeleteParameters" => List("Names").Select(Parameter).ToArray<string?>(),
                "GetParametersByPath" => One(S("Path") is { } path ? Parameter(path.TrimEnd('/')) : null),
                "AddTagsToResource" => One(S("ResourceId") is { } id ? Parameter(id) : null),
                _ => One(S("Name") is { } name ? Parameter(name) : null),
            },
            "dynamodb" => operation switch
            {
                "BatchWriteItem" or "BatchGetItem" => (input["RequestItems"] as JsonObject)?.Select(kv => Table(kv.Key)).ToArray<string?>() ?? [],
                "TagResource" or "ListTagsOfResource" => One(S("ResourceArn")),
                _ => One(S("TableName") is { } table ? S("IndexName") is { } index ? Table($"{table}/index/{index}") : Table(table) : null),
            },
            "logs" => One(S("logGroupName") is { } group
                ? S("logStreamName") is { } stream ? Arn("logs", $"log-group:{group}:log-stream:{stream}") : Arn("logs", $"log-group:{group}")
                : null),
            "sts" => One(S("RoleArn")),
            "firehose" => One(S("DeliveryStreamName") is { } stream ? Arn("firehose", $"deliverystream/{stream}") : null),
            _ => [],
        };
        var list = resources.OfType<string>().Distinct().ToList();
        return list.Count > 0 ? list : ["*"];
    }

    /// <summary>The IAM action of an operation: the service's action prefix and the operation's name.</summary>
    public static string ActionOf(string service, string operation) => $"{service}:{operation}";

    /// <summary>
    /// S3's action and resource for a REST request: the bucket (<c>arn:aws:s3:::bucket</c>) for bucket operations, the
    /// object (<c>arn:aws:s3:::bucket/key</c>) for object operations; <c>ListAllMyBuckets</c> on <c>*</c>.
    /// </summary>
    public static (string Action, string Resource) OfS3(string method, string path, IEnumerable<string> queryKeys)
    {
        var query = queryKeys.ToHashSet(StringComparer.Ordinal);
        var trimmed = Uri.UnescapeDataString(path.TrimStart('/'));
        var slash = trimmed.IndexOf('/');
        var (bucket, key) = slash < 0 ? (trimmed, "") : (trimmed[..slash], trimmed[(slash + 1)..]);
        if (bucket.Length == 0) return ("s3:ListAllMyBuckets", "*");
        if (key.Length > 0)
        {
            var objectAction = method switch
            {
                "GET" or "HEAD" => query.Contains("tagging") ? "s3:GetObjectTagging" : "s3:GetObject",
                "PUT" => query.Contains("tagging") ? "s3:PutObjectTagging" : "s3:PutObject",
                "DELETE" => query.Contains("uploadId") ? "s3:AbortMultipartUpload" : "s3:DeleteObject",
                _ => "s3:PutObject", // POST: multipart upload steps
            };
            return (objectAction, $"arn:aws:s3:::{bucket}/{key}");
        }
        var sub = query.FirstOrDefault(q => q is "tagging" or "encryption" or "lifecycle" or "publicAccessBlock" or "versioning" or "policy" or "cors" or "website");
        var bucketAction = (method, sub) switch
        {
            ("POST", _) when query.Contains("delete") => "s3:DeleteObject",
            ("GET" or "HEAD", null) => "s3:ListBucket",
            ("PUT", null) => "s3:CreateBucket",
            ("DELETE", null) => "s3:DeleteBucket",
            ("GET", "publicAccessBlock") => "s3:GetBucketPublicAccessBlock",
            ("PUT", "publicAccessBlock") or ("DELETE", "publicAccessBlock") => "s3:PutBucketPublicAccessBlock",
            ("GET", "encryption") => "s3:GetEncryptionConfiguration",
            ("PUT", "encryption") or ("DELETE", "encryption") => "s3:PutEncryptionConfiguration",
            ("GET", "lifecycle") => "s3:GetLifecycleConfiguration",
            ("PUT", "lifecycle") or ("DELETE", "lifecycle") => "s3:PutLifecycleConfiguration",
            ("GET", var s) => "s3:GetBucket" + char.ToUpperInvariant(s![0]) + s[1..],
            (_, var s) => "s3:PutBucket" + char.ToUpperInvariant(s![0]) + s[1..],
        };
        return (bucketAction, $"arn:aws:s3:::{bucket}");
    }
}
