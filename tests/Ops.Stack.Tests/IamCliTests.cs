using System.Text.Json.Nodes;

namespace Ops.Stack.Tests;

/// <summary>
/// create-iam and iam as a user runs them: ./build.sh against an in-process local cloud (request log read for
/// mutating calls), the roles read back and simulated with the aws CLI; a role Ops did not make is never touched;
/// a bad statement in the stack is exit 2 with file:line:col.
/// </summary>
[Collection(FleetCloudCollection.Name)]
public sealed class IamCliTests(FleetCloud cloud)
{
    static readonly Lazy<string> StackFile = new(() =>
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("ops-iam-").FullName, "ops.stack.yml");
        File.WriteAllText(file, """
            defaults:
              pipeline: {repository: iotile/iotile-cloud}
              iam:
                worker-statements: ["Allow s3:GetObject arn:aws:s3:::iotile-firmware/*"]
            stages:
              iam1: {}
              iam2: {}
              iamdry: {}

            """);
        return file;
    });

    Task<CliRun> Run(params string[] args) =>
        OpsCli.RunAsync([.. args, "--endpoint-url", cloud.Server.Url.ToString(), .. args.Contains("--stack") ? Array.Empty<string>() : ["--stack", StackFile.Value]],
            TimeSpan.FromMinutes(5));

    static Task<JsonNode?> Aws(Uri url, params string[] args) => AwsCli.RunAs(TestKeys.OperatorAccessKey, TestKeys.OperatorSecretKey, url, args);

    [Fact]
    public async Task Create_iam_makes_every_role_a_second_run_changes_nothing_and_the_simulator_agrees_with_the_stack()
    {
        var first = await Run("create-iam", "--stage", "iam1");
        Assert.True(first.ExitCode == 0, first.ToString());
        foreach (var role in new[] { "iotile-worker-iam1", "iotile-worker-execution-iam1", "iotile-ecs-instance-iam1", "iotile-web-iam1", "iotile-web-service-iam1", "iotile-firehose-iam1", "iotile-deploy-iam1" })
            Assert.Contains($"iam role {role}: create", first.Out);
        // GitHub's provider is the account's: made by the first stage that needs it (this one, or another test's).
        Assert.Contains((await Aws(cloud.Server.Url, "iam", "list-open-id-connect-providers"))!["OpenIDConnectProviderList"]!.AsArray(),
            p => (string?)p!["Arn"] == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");

        var before = cloud.Server.Requests.Entries.Count;
        var second = await Run("create-iam", "--stage", "iam1");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Empty(cloud.MutationsSince(before));
        Assert.Contains("iam role iotile-worker-iam1: up to date", second.Out);

        var worker = (await Aws(cloud.Server.Url, "iam", "get-role-policy", "--role-name", "iotile-worker-iam1", "--policy-name", "ops"))!["PolicyDocument"]!;
        var resources = worker["Statement"]!.AsArray().SelectMany(s => s!["Resource"] is JsonArray a ? a.Select(r => (string)r!) : [(string)s["Resource"]!]).ToList();
        Assert.All(resources, r => Assert.True(r == "*" || r.Contains("iam1") || r == "arn:aws:s3:::iotile-firmware/*", r));
        var deployTrust = (await Aws(cloud.Server.Url, "iam", "get-role", "--role-name", "iotile-deploy-iam1"))!["Role"]!["AssumeRolePolicyDocument"]!;
        Assert.Equal("repo:iotile/iotile-cloud:environment:iam1", (string?)deployTrust["Statement"]![0]!["Condition"]!["StringEquals"]!["token.actions.githubusercontent.com:sub"]);
        var profile = (await Aws(cloud.Server.Url, "iam", "get-instance-profile", "--instance-profile-name", "iotile-web-iam1"))!["InstanceProfile"]!;
        Assert.Equal("iotile-web-iam1", (string?)profile["Roles"]![0]!["RoleName"]);

        var simulated = await Aws(cloud.Server.Url, "iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:role/iotile-worker-iam1",
            "--action-names", "sqs:ReceiveMessage", "--resource-arns", "arn:aws:sqs:us-east-1:123456789012:iotile-worker-iam1", "arn:aws:sqs:us-east-1:123456789012:iotile-worker-iam2");
        Assert.Equal(["allowed", "implicitDeny"], simulated!["EvaluationResults"]!.AsArray().Select(r => (string?)r!["EvalDecision"]));

        // Over the wire, with the role's own temporary credentials: the web role may not delete a table.
        await Aws(cloud.Server.Url, "dynamodb", "create-table", "--table-name", "iotile-devices-iam1", "--billing-mode", "PAY_PER_REQUEST",
            "--attribute-definitions", "AttributeName=slug,AttributeType=S", "--key-schema", "AttributeName=slug,KeyType=HASH");
        var assumed = (await Aws(cloud.Server.Url, "sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/iotile-web-iam1", "--role-session-name", "web"))!["Credentials"]!;
        var web = ((string)assumed["AccessKeyId"]!, (string)assumed["SecretAccessKey"]!, (string)assumed["SessionToken"]!);
        var (code, _, error) = await AwsCli.TrySession(web, cloud.Server.Url, "dynamodb", "delete-table", "--table-name", "iotile-devices-iam1");
        Assert.NotEqual(0, code);
        Assert.Contains("(AccessDeniedException)", error);
        Assert.Contains("assumed-role/iotile-web-iam1/web is not authorized to perform: dynamodb:DeleteTable on resource: arn:aws:dynamodb:us-east-1:123456789012:table/iotile-devices-iam1", error);
        (code, _, error) = await AwsCli.TrySession(web, cloud.Server.Url, "sqs", "get-queue-url", "--queue-name", "iotile-worker-iam2");
        Assert.Contains("(AccessDenied)", error);

        // Drift by hand is shown and corrected: a policy someone added, a statement someone widened.
        await Aws(cloud.Server.Url, "iam", "put-role-policy", "--role-name", "iotile-worker-iam1", "--policy-name", "by-hand", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}""");
        var status = await Run("status", "--stage", "iam1", "--output", "json");
        var row = status.Results().Single()["resources"]!.AsArray().Single(r => (string?)r!["kind"] == "iam-role" && (string?)r["name"] == "iotile-worker-iam1")!;
        Assert.Contains("policy by-hand", row.ToJsonString());
        var third = await Run("create-iam", "--stage", "iam1");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("iam role iotile-worker-iam1: policy by-hand (present) → removed: not in the stack", third.Out);
        Assert.DoesNotContain("by-hand", (await Aws(cloud.Server.Url, "iam", "list-role-policies", "--role-name", "iotile-worker-iam1"))!["PolicyNames"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task A_role_of_the_same_name_that_Ops_did_not_make_is_never_modified()
    {
        await Aws(cloud.Server.Url, "iam", "create-role", "--role-name", "iotile-web-iam2", "--assume-role-policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        var before = cloud.Server.Requests.Entries.Count;
        var run = await Run("create-iam", "--stage", "iam2");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("iam role iotile-web-iam2 exists but has no ManagedBy=Ops tag (Ops did not create it): Ops never modifies a role it did not create", run.Text);
        Assert.Empty(cloud.MutationsSince(before));
        var rows = (await Run("status", "--stage", "iam2", "--output", "json")).Results().Single()["resources"]!.AsArray();
        Assert.Equal("missing", (string?)rows.Single(r => (string?)r!["kind"] == "iam-role" && (string?)r["name"] == "iotile-worker-iam2")!["state"]);
        Assert.Equal("not Ops's", (string?)rows.Single(r => (string?)r!["kind"] == "iam-role" && (string?)r["name"] == "iotile-web-iam2")!["state"]);
    }

    [Fact]
    public async Task A_dry_run_lists_every_role_and_changes_nothing()
    {
        var before = cloud.Server.Requests.Entries.Count;
        var run = await Run("create-iam", "--stage", "iamdry", "--dry-run");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("would change iam role iotile-worker-iamdry: create (for the worker tasks (ECS task role), 7 statement(s))", run.Out);
        Assert.Contains("would change iam instance profile iotile-ecs-instance-iamdry: create", run.Out);
        Assert.Empty(cloud.MutationsSince(before));
    }

    [Fact]
    public async Task A_malformed_statement_in_the_stack_is_exit_2_with_file_line_and_column_and_nothing_is_called()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("ops-iam-bad-").FullName, "ops.stack.yml");
        File.WriteAllText(file, "defaults:\n  iam:\n    worker-statements:\n      - \"Allow s3:GetObject arn:aws:s3:firmware\"\n");
        var before = cloud.Server.Requests.Entries.Count;
        var run = await Run("create-iam", "--stage", "dev", "--stack", file);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ops.stack.yml:4:9: defaults.iam.worker-statements: 'Allow s3:GetObject arn:aws:s3:firmware' is not a valid IAM statement", run.Err);
        Assert.Equal(before, cloud.Server.Requests.Entries.Count);
    }

    [Fact]
    public async Task The_operator_policy_is_printed_as_managed_policies_within_AWSs_limit()
    {
        var run = await Run("iam", "--stage", "iam1", "--operator-policy", "--output", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var printed = JsonNode.Parse(run.Out)!;
        var policies = printed["policies"]!.AsArray();
        Assert.Equal("ops-iam1-operator-1", (string?)policies[0]!["name"]);
        Assert.All(policies, p => Assert.True(p!["document"]!.ToJsonString().Length <= 6144));
        Assert.Contains("iotile-worker-iam1", printed.ToJsonString());
    }
}
