namespace Ops.LocalCloud.Tests.Conformance;

public static partial class ConformanceTable
{
    static string SsmPath(ConformanceContext x) => "/" + x.Name;

    static string SsmHost(ConformanceContext x) => SsmPath(x) + "/db/host";

    static string SsmPassword(ConformanceContext x) => SsmPath(x) + "/db/password";

    static Task PutSsmHost(ConformanceContext x) => x.Aws("ssm", "put-parameter", "--name", SsmHost(x), "--type", "String", "--value", "db.internal");

    /// <summary>Two parameters under the row's path: the host (String) and the password (SecureString).</summary>
    static async Task PutSsmParameters(ConformanceContext x)
    {
        await PutSsmHost(x);
        await x.Aws("ssm", "put-parameter", "--name", SsmPassword(x), "--type", "SecureString", "--value", "s3cret");
    }

    static async Task<IEnumerable<string?>> SsmInvalid(ConformanceContext x) =>
        (await x.Aws("ssm", "get-parameters", "--names", SsmHost(x)))!["InvalidParameters"]!.AsArray().Select(n => (string?)n);

    static ConformanceRow[] Ssm =>
    [
        Row("ssm", "PutParameter", x => ["ssm", "put-parameter", "--name", SsmHost(x), "--type", "String", "--value", "db.internal"], async (x, r) =>
        {
            Assert.Equal((1, "Standard"), ((int?)r!["Version"], (string?)r["Tier"]));
            Assert.Equal("db.internal", (string?)(await x.Aws("ssm", "get-parameter", "--name", SsmHost(x)))!["Parameter"]!["Value"]);
        }),
        Error("ssm", "PutParameter", x => ["ssm", "put-parameter", "--name", SsmHost(x), "--type", "String", "--value", "other"], "ParameterAlreadyExists", PutSsmHost),
        Row("ssm", "GetParameter", x => ["ssm", "get-parameter", "--name", SsmPassword(x), "--with-decryption"], (x, r) =>
        {
            var p = r!["Parameter"]!;
            Assert.Equal((SsmPassword(x), "SecureString", "s3cret", 1, $"arn:aws:ssm:us-east-1:{LocalAccount}:parameter{SsmPassword(x)}"),
                ((string?)p["Name"], (string?)p["Type"], (string?)p["Value"], (int?)p["Version"], (string?)p["ARN"]));
            return Done;
        }, PutSsmParameters),
        Error("ssm", "GetParameter", x => ["ssm", "get-parameter", "--name", SsmHost(x)], "ParameterNotFound"),
        Row("ssm", "GetParameters", x => ["ssm", "get-parameters", "--names", SsmHost(x), SsmPath(x) + "/missing"], (x, r) =>
        {
            var p = r!["Parameters"]!.AsArray().Single()!;
            Assert.Equal((SsmHost(x), "db.internal"), ((string?)p["Name"], (string?)p["Value"]));
            Assert.Equal([SsmPath(x) + "/missing"], r["InvalidParameters"]!.AsArray().Select(n => (string?)n));
            return Done;
        }, PutSsmHost),
        Row("ssm", "GetParametersByPath", x => ["ssm", "get-parameters-by-path", "--path", SsmPath(x), "--recursive"], (x, r) =>
        {
            Assert.Equal([SsmHost(x), SsmPassword(x)], Members(r!["Parameters"], "Name").Order());
            return Done;
        }, PutSsmParameters),
        Row("ssm", "DescribeParameters", x => ["ssm", "describe-parameters", "--parameter-filters", $"Key=Name,Option=BeginsWith,Values={SsmPath(x)}"], (x, r) =>
        {
            var ps = r!["Parameters"]!.AsArray().OrderBy(p => (string?)p!["Name"]).ToList();
            Assert.Equal([(SsmHost(x), "String", 1), (SsmPassword(x), "SecureString", 1)], ps.Select(p => ((string?)p!["Name"], (string?)p["Type"], (int?)p["Version"])));
            return Done;
        }, PutSsmParameters),
        Row("ssm", "DeleteParameter", x => ["ssm", "delete-parameter", "--name", SsmHost(x)], async (x, _) =>
            Assert.Equal([SsmHost(x)], await SsmInvalid(x)), PutSsmHost),
        Error("ssm", "DeleteParameter", x => ["ssm", "delete-parameter", "--name", SsmHost(x)], "ParameterNotFound"),
        Row("ssm", "DeleteParameters", x => ["ssm", "delete-parameters", "--names", SsmHost(x), SsmPath(x) + "/missing"], async (x, r) =>
        {
            Assert.Equal([SsmHost(x)], r!["DeletedParameters"]!.AsArray().Select(n => (string?)n));
            Assert.Equal([SsmPath(x) + "/missing"], r["InvalidParameters"]!.AsArray().Select(n => (string?)n));
            Assert.Equal([SsmHost(x)], await SsmInvalid(x));
        }, PutSsmHost),
        Row("ssm", "AddTagsToResource", x => ["ssm", "add-tags-to-resource", "--resource-type", "Parameter", "--resource-id", SsmHost(x), "--tags", "Key=team,Value=iot"],
            async (x, _) =>
            {
                // Parameter Store finds parameters by tag with a "tag:<key>" filter.
                var found = (await x.Aws("ssm", "describe-parameters", "--parameter-filters", "Key=tag:team,Values=iot", $"Key=Name,Option=BeginsWith,Values={SsmPath(x)}"))!;
                Assert.Equal([SsmHost(x)], Members(found["Parameters"], "Name"));
            }, PutSsmHost),
        Error("ssm", "AddTagsToResource", x => ["ssm", "add-tags-to-resource", "--resource-type", "Parameter", "--resource-id", SsmHost(x), "--tags", "Key=team,Value=iot"],
            "InvalidResourceId"),
    ];
}
