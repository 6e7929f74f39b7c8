using Ops.LocalCloud.Iam;

namespace Ops.LocalCloud.Tests;

/// <summary>IAM's evaluation logic, as pure functions: deny wins, allow, implicit deny; NotAction/NotResource; wildcards; conditions; what a put
/// refuses.</summary>
public sealed class PolicyEvaluatorTests
{
    static readonly Dictionary<string, IReadOnlyList<string>> NoContext = new(StringComparer.OrdinalIgnoreCase);

    static SourcePolicy Policy(string json) => new("p", "role", PolicyDocument.Parse(json, PolicyKind.Identity));

    static IamDecision Decide(string action, string resource, params string[] documents) =>
        PolicyEvaluator.Evaluate(documents.Select(Policy).ToList(), action, resource, NoContext).Decision;

    const string QueueAllow = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:Receive*","sqs:DeleteMessage"],"Resource":"arn:aws:sqs:us-east-1:123456789012:dev-*"}]}""";

    [Theory]
    [InlineData("sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:123456789012:dev-work", IamDecision.Allowed)]
    [InlineData("SQS:receivemessage", "arn:aws:sqs:us-east-1:123456789012:dev-work", IamDecision.Allowed)] // actions ignore case
    [InlineData("sqs:DeleteMessage", "arn:aws:sqs:us-east-1:123456789012:dev-report", IamDecision.Allowed)]
    [InlineData("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:dev-work", IamDecision.ImplicitDeny)]
    [InlineData("sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:123456789012:prod-work", IamDecision.ImplicitDeny)]
    [InlineData("sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:123456789012:DEV-work", IamDecision.ImplicitDeny)] // resources keep case
    [InlineData("sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:999999999999:dev-work", IamDecision.ImplicitDeny)]
    public void Actions_and_resources_match_with_wildcards(string action, string resource, IamDecision expected) =>
        Assert.Equal(expected, Decide(action, resource, QueueAllow));

    [Fact]
    public void An_explicit_deny_wins_over_any_allow()
    {
        const string denyDelete = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sqs:DeleteMessage","Resource":"*"}]}""";
        Assert.Equal(IamDecision.ExplicitDeny, Decide("sqs:DeleteMessage", "arn:aws:sqs:us-east-1:123456789012:dev-work", QueueAllow, denyDelete));
        Assert.Equal(IamDecision.Allowed, Decide("sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:123456789012:dev-work", QueueAllow, denyDelete));
        var evaluation = PolicyEvaluator.Evaluate([Policy(QueueAllow), Policy(denyDelete)], "sqs:DeleteMessage", "arn:aws:sqs:us-east-1:123456789012:dev-work", NoContext);
        Assert.Contains("explicit deny", evaluation.Reason);
        Assert.False(Assert.Single(evaluation.Matched).Statement.Allow);
    }

    [Fact]
    public void NotAction_and_NotResource_cover_everything_but_what_they_name()
    {
        const string allButIam = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secrets/*"}]}""";
        Assert.Equal(IamDecision.Allowed, Decide("s3:GetObject", "arn:aws:s3:::statics/a.css", allButIam));
        Assert.Equal(IamDecision.ImplicitDeny, Decide("s3:GetObject", "arn:aws:s3:::secrets/key", allButIam));
        Assert.Equal(IamDecision.ImplicitDeny, Decide("iam:CreateRole", "*", allButIam));
    }

    [Fact]
    public void A_wildcard_in_one_ARN_field_does_not_reach_into_the_next()
    {
        Assert.True(Wildcard.MatchesArn("arn:aws:sqs:*:123456789012:dev-work", "arn:aws:sqs:eu-west-1:123456789012:dev-work"));
        Assert.False(Wildcard.MatchesArn("arn:aws:sqs:*:dev-work", "arn:aws:sqs:eu-west-1:123456789012:dev-work"));
        Assert.True(Wildcard.MatchesArn("arn:aws:dynamodb:us-east-1:1:table/dev-log*", "arn:aws:dynamodb:us-east-1:1:table/dev-log/index/by-task"));
        Assert.True(Wildcard.Matches("dev-?ork", "dev-work"));
        Assert.False(Wildcard.Matches("dev-?ork", "dev-wwork"));
    }

    [Fact]
    public void Conditions_all_hold_values_are_alternatives_and_missing_keys_fail_unless_negated_or_IfExists()
    {
        const string viaSsm = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*",
              "Condition":{"StringEquals":{"kms:ViaService":["ssm.us-east-1.amazonaws.com","ssm.eu-west-1.amazonaws.com"]},"StringLike":{"aws:PrincipalArn":"arn:aws:sts::*:assumed-role/ops-dev-*"}}}]}
            """;
        var policies = new[] { Policy(viaSsm) };
        Dictionary<string, IReadOnlyList<string>> Context(params (string Key, string Value)[] entries) =>
            entries.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[e.Value], StringComparer.OrdinalIgnoreCase);
        Assert.True(PolicyEvaluator.Evaluate(policies, "kms:Decrypt", "*",
            Context(("kms:ViaService", "ssm.eu-west-1.amazonaws.com"), ("aws:PrincipalArn", "arn:aws:sts::1:assumed-role/ops-dev-worker/t"))).IsAllowed);
        Assert.False(PolicyEvaluator.Evaluate(policies, "kms:Decrypt", "*",
            Context(("kms:ViaService", "s3.us-east-1.amazonaws.com"), ("aws:PrincipalArn", "arn:aws:sts::1:assumed-role/ops-dev-worker/t"))).IsAllowed);
        Assert.False(PolicyEvaluator.Evaluate(policies, "kms:Decrypt", "*", Context(("aws:PrincipalArn", "arn:aws:sts::1:assumed-role/ops-dev-worker/t"))).IsAllowed);

        Assert.True(new PolicyCondition("StringNotEquals", "aws:SourceVpc", ["vpc-1"]).Holds(NoContext));
        Assert.True(new PolicyCondition("StringEqualsIfExists", "aws:SourceVpc", ["vpc-1"]).Holds(NoContext));
        Assert.False(new PolicyCondition("StringEquals", "aws:SourceVpc", ["vpc-1"]).Holds(NoContext));
        Assert.True(new PolicyCondition("Null", "aws:SourceVpc", ["true"]).Holds(NoContext));
    }

    [Fact]
    public void A_trust_policy_admits_only_its_principals_under_its_conditions()
    {
        var trust = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"},
              "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub":"repo:iotile/cloud:environment:prod"}}}]}
            """, PolicyKind.Trust);
        var provider = "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com";
        Dictionary<string, IReadOnlyList<string>> Claims(string sub) => new(StringComparer.OrdinalIgnoreCase)
        {
            ["token.actions.githubusercontent.com:aud"] = ["sts.amazonaws.com"],
            ["token.actions.githubusercontent.com:sub"] = [sub],
        };
        Assert.True(PolicyEvaluator.Trusts(trust, "sts:AssumeRoleWithWebIdentity", "Federated", provider, Claims("repo:iotile/cloud:environment:prod")));
        Assert.False(PolicyEvaluator.Trusts(trust, "sts:AssumeRoleWithWebIdentity", "Federated", provider, Claims("repo:iotile/cloud:environment:dev")));
        Assert.False(PolicyEvaluator.Trusts(trust, "sts:AssumeRoleWithWebIdentity", "Federated", provider, Claims("repo:iotile/cloud:ref:refs/heads/main")));
        Assert.False(PolicyEvaluator.Trusts(trust, "sts:AssumeRole", "Service", "ecs-tasks.amazonaws.com", Claims("repo:iotile/cloud:environment:prod")));
    }

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Maybe","Action":"sqs:SendMessage","Resource":"*"}]}""", "Effect must be Allow or Deny")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"sqs-SendMessage","Resource":"*"}]}""", "not of the form service:Action")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"dev-work"}]}""", "is not an ARN")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage"}]}""", "missing required field Resource")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","NotAction":"sqs:Purge*","Resource":"*"}]}""", "not both")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*","Condition":{"StringSortOf":{"a":"b"}}}]}""", "condition operator 'StringSortOf'")]
    [InlineData("""{"Version":"2020-01-01","Statement":[]}""", "valid version string")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}""", "has no Principal")]
    [InlineData("not json", "Syntax errors")]
    public void A_document_IAM_would_refuse_is_refused_naming_the_problem(string json, string problem) =>
        Assert.Contains(problem, Assert.Throws<PolicyException>(() => PolicyDocument.Parse(json, PolicyKind.Identity)).Message);

    [Theory]
    [InlineData("GET", "/statics/css/site.css", "", "s3:GetObject", "arn:aws:s3:::statics/css/site.css")]
    [InlineData("PUT", "/uploads/a%20b.txt", "", "s3:PutObject", "arn:aws:s3:::uploads/a b.txt")]
    [InlineData("DELETE", "/uploads/x", "", "s3:DeleteObject", "arn:aws:s3:::uploads/x")]
    [InlineData("GET", "/uploads", "", "s3:ListBucket", "arn:aws:s3:::uploads")]
    [InlineData("DELETE", "/uploads", "", "s3:DeleteBucket", "arn:aws:s3:::uploads")]
    [InlineData("PUT", "/uploads", "encryption", "s3:PutEncryptionConfiguration", "arn:aws:s3:::uploads")]
    [InlineData("GET", "/", "", "s3:ListAllMyBuckets", "*")]
    public void S3_requests_are_authorized_as_their_action_on_the_bucket_or_object(string method, string path, string query, string action, string resource) =>
        Assert.Equal((action, resource), ActionResources.OfS3(method, path, query.Length == 0 ? [] : [query]));

    [Fact]
    public void Requests_are_authorized_on_the_resources_their_input_names()
    {
        const string region = "us-east-1", account = "123456789012";
        Assert.Equal(["arn:aws:sqs:us-east-1:123456789012:dev-work"],
            ActionResources.Of("sqs", "ReceiveMessage", new() { ["QueueUrl"] = "http://127.0.0.1:4566/123456789012/dev-work" }, region, account));
        Assert.Equal(["arn:aws:dynamodb:us-east-1:123456789012:table/dev-log/index/by-task"],
            ActionResources.Of("dynamodb", "Query", new() { ["TableName"] = "dev-log", ["IndexName"] = "by-task" }, region, account));
        Assert.Equal(["arn:aws:dynamodb:us-east-1:123456789012:table/a", "arn:aws:dynamodb:us-east-1:123456789012:table/b"],
            ActionResources.Of("dynamodb", "BatchWriteItem",
                new() { ["RequestItems"] = new System.Text.Json.Nodes.JsonObject { ["a"] = new System.Text.Json.Nodes.JsonArray(),
                ["b"] = new System.Text.Json.Nodes.JsonArray() } }, region, account));
        Assert.Equal(["arn:aws:ssm:us-east-1:123456789012:parameter/dev/db", "arn:aws:ssm:us-east-1:123456789012:parameter/plain"],
            ActionResources.Of("ssm", "GetParameters", new() { ["Names"] = new System.Text.Json.Nodes.JsonArray("/dev/db", "plain") }, region, account));
        Assert.Equal(["*"], ActionResources.Of("ecs", "ListClusters", new(), region, account));
    }
}
