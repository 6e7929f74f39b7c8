using System.Text.Json.Nodes;
using Ops.LocalCloud.Iam;
using Ops.Stack.Identity;

namespace Ops.Stack.Tests;

/// <summary>
/// The stage's roles as pure data: exact ARNs of this stage only, every <c>*</c> with its reason, within IAM's size
/// limits — and, evaluated by the local cloud's IAM evaluator, allowing what each part does and nothing of another stage.
/// </summary>
public sealed class IamLogicTests
{
    const string Account = "123456789012";

    static StageRoles Roles(string stage, string yaml = "defaults: {}\n") =>
        new(StackLoader.Parse("ops.stack.yml", yaml).For(stage), Account, "us-east-1");

    static readonly Dictionary<string, IReadOnlyList<string>> Context = new(StringComparer.OrdinalIgnoreCase)
    {
        ["kms:ViaService"] = ["ssm.us-east-1.amazonaws.com"],
        ["iam:PassedToService"] = ["ecs-tasks.amazonaws.com"],
    };

    static bool Allows(RoleSpec role, string action, string resource) =>
        PolicyEvaluator.Evaluate([new SourcePolicy(role.Name, "role", PolicyDocument.Parse(role.Policy!.ToJsonString(), PolicyKind.Identity))], action, resource,
            Context).IsAllowed;

    static string Arn(string service, string resource) => $"arn:aws:{service}:us-east-1:{Account}:{resource}";

    [Fact]
    public void Every_resource_is_this_stages_ARN_or_a_star_with_its_reason()
    {
        var roles = Roles("prod", "stages:\n  prod:\n    pipeline: {repository: iotile/iotile-cloud}\n");
        Assert.Equal(["iotile-worker-prod", "iotile-worker-execution-prod", "iotile-ecs-instance-prod", "iotile-web-prod", "iotile-web-service-prod", "iotile-firehose-prod", "iotile-deploy-prod"],
            roles.All.Select(r => r.Name));
        foreach (var role in roles.All)
            foreach (var statement in role.Statements)
                foreach (var resource in statement.Resources)
                {
                    if (resource == "*")
                        Assert.False(string.IsNullOrWhiteSpace(statement.Why), $"{role.Name} {statement.Sid}: * without a reason");
                    else if (!resource.Contains("::parameter/aws/service/") && !resource.Contains("solutionstack/") && !resource.Contains("platform/")
                             && !resource.Contains("parametergroup:default.") && !resource.Contains("stack/awseb-") && !resource.Contains("oidc-provider/"))
                        Assert.True(resource.Contains("prod") || resource.Contains("iotile-cloud-server") || resource.Contains("iotile-cloud") || resource.Contains($"elasticbeanstalk-us-east-1-{Account}"),
                            $"{role.Name} {statement.Sid}: {resource} does not name a resource of stage prod");
                }
    }

    [Fact]
    public void The_worker_role_allows_its_queues_tables_secrets_and_uploads_and_nothing_of_another_stage()
    {
        var worker = Roles("dev").Worker;
        foreach (var action in new[] { "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:SendMessage", "sqs:GetQueueAttributes" })
        {
            Assert.True(Allows(worker, action, Arn("sqs", "iotile-worker-dev")), action);
            Assert.True(Allows(worker, action, Arn("sqs", "iotile-report-dev")), action);
            Assert.False(Allows(worker, action, Arn("sqs", "iotile-worker-prod")), action);
        }
        Assert.False(Allows(worker, "sqs:PurgeQueue", Arn("sqs", "iotile-worker-dev")));
        Assert.False(Allows(worker, "sqs:DeleteQueue", Arn("sqs", "iotile-worker-dev")));
        Assert.True(Allows(worker, "dynamodb:PutItem", Arn("dynamodb", "table/iotile-worker-logs-dev")));
        Assert.True(Allows(worker, "dynamodb:Query", Arn("dynamodb", "table/iotile-worker-logs-dev/index/task-index")));
        Assert.True(Allows(worker, "dynamodb:UpdateItem", Arn("dynamodb", "table/iotile-rollouts-dev")));
        Assert.False(Allows(worker, "dynamodb:DeleteTable", Arn("dynamodb", "table/iotile-worker-logs-dev")));
        Assert.False(Allows(worker, "dynamodb:PutItem", Arn("dynamodb", "table/iotile-devices-dev")));
        Assert.True(Allows(worker, "ssm:GetParameter", Arn("ssm", "parameter/iotilecloud.dev.RdsPassword")));
        Assert.False(Allows(worker, "ssm:GetParameter", Arn("ssm", "parameter/iotilecloud.prod.RdsPassword")));
        Assert.False(Allows(worker, "ssm:PutParameter", Arn("ssm", "parameter/iotilecloud.dev.RdsPassword")));
        Assert.True(Allows(worker, "kms:Decrypt", "*"));
        Assert.True(Allows(worker, "s3:PutObject", "arn:aws:s3:::iotile-uploads-dev/a/b.bin"));
        Assert.False(Allows(worker, "s3:PutObject", "arn:aws:s3:::iotile-statics-dev/index.html"));
    }

    [Fact]
    public void The_web_role_sends_reads_and_publishes_but_cannot_delete_a_table_or_receive_work()
    {
        var web = Roles("dev").Web;
        Assert.True(Allows(web, "sqs:SendMessage", Arn("sqs", "iotile-worker-dev")));
        Assert.False(Allows(web, "sqs:ReceiveMessage", Arn("sqs", "iotile-worker-dev")));
        Assert.False(Allows(web, "dynamodb:DeleteTable", Arn("dynamodb", "table/iotile-worker-logs-dev")));
        Assert.True(Allows(web, "firehose:PutRecordBatch", Arn("firehose", "deliverystream/iotile-streamtimeseries-dev")));
        Assert.True(Allows(web, "sns:Publish", Arn("sns", "iotile-staff-notifications-dev")));
        Assert.True(Allows(web, "s3:GetObject", "arn:aws:s3:::iotile-statics-dev/css/site.css"));
        Assert.False(Allows(web, "s3:PutObject", "arn:aws:s3:::iotile-statics-dev/css/site.css"));
        Assert.Equal([StageRoles.BeanstalkWebTierPolicy], web.ManagedPolicies);
        Assert.True(web.InstanceProfile);
    }

    [Fact]
    public void Firehose_may_only_write_its_landing_bucket()
    {
        var firehose = Roles("dev").Firehose;
        Assert.True(Allows(firehose, "s3:PutObject", "arn:aws:s3:::iotile-firehose-dev/firehose/2026/12/07/part"));
        Assert.False(Allows(firehose, "s3:PutObject", "arn:aws:s3:::iotile-uploads-dev/x"));
        Assert.False(Allows(firehose, "s3:DeleteObject", "arn:aws:s3:::iotile-firehose-dev/x"));
    }

    [Fact]
    public void The_deploy_role_trusts_only_the_repositorys_environment_of_its_stage_and_cannot_change_IAM()
    {
        var deploy = Roles("prod", "stages:\n  prod:\n    pipeline: {repository: iotile/iotile-cloud}\n").Deploy;
        var trust = PolicyDocument.Parse(deploy.Trust.ToJsonString(), PolicyKind.Trust);
        Dictionary<string, IReadOnlyList<string>> Claims(string sub) => new(StringComparer.OrdinalIgnoreCase)
        {
            ["token.actions.githubusercontent.com:aud"] = ["sts.amazonaws.com"],
            ["token.actions.githubusercontent.com:sub"] = [sub],
        };
        var provider = $"arn:aws:iam::{Account}:oidc-provider/token.actions.githubusercontent.com";
        Assert.True(PolicyEvaluator.Trusts(trust, "sts:AssumeRoleWithWebIdentity", "Federated", provider, Claims("repo:iotile/iotile-cloud:environment:prod")));
        Assert.False(PolicyEvaluator.Trusts(trust, "sts:AssumeRoleWithWebIdentity", "Federated", provider, Claims("repo:iotile/iotile-cloud:environment:dev")));
        Assert.False(PolicyEvaluator.Trusts(trust, "sts:AssumeRoleWithWebIdentity", "Federated", provider, Claims("repo:someone/fork:environment:prod")));
        Assert.False(PolicyEvaluator.Trusts(trust, "sts:AssumeRoleWithWebIdentity", "Federated", provider, Claims("repo:iotile/iotile-cloud:ref:refs/heads/main")));

        Assert.True(Allows(deploy, "ecs:UpdateService", Arn("ecs", "service/iotile-prod/iotile-worker-prod")));
        Assert.False(Allows(deploy, "ecs:UpdateService", Arn("ecs", "service/iotile-dev/iotile-worker-dev")));
        Assert.True(Allows(deploy, "iam:GetRole", $"arn:aws:iam::{Account}:role/iotile-worker-prod"));
        Assert.True(Allows(deploy, "iam:GetRole", $"arn:aws:iam::{Account}:role/iotile-deploy-prod")); // create-iam reads every role, read-only in CI
        Assert.True(Allows(deploy, "iam:PassRole", $"arn:aws:iam::{Account}:role/iotile-worker-prod"));
        Assert.False(Allows(deploy, "iam:PassRole", $"arn:aws:iam::{Account}:role/iotile-deploy-prod"));
        Assert.False(Allows(deploy, "iam:PutRolePolicy", $"arn:aws:iam::{Account}:role/iotile-deploy-prod"));
        Assert.False(Allows(deploy, "iam:PutRolePolicy", $"arn:aws:iam::{Account}:role/iotile-worker-prod"));
        Assert.False(Allows(deploy, "rds:DeleteDBInstance", Arn("rds", "db:iotile-db-dev")));
    }

    [Fact]
    public void Stack_statements_are_added_to_their_role()
    {
        var roles = Roles("dev", "defaults:\n  iam:\n    worker-statements: [\"Allow s3:GetObject arn:aws:s3:::iotile-firmware/*\", \"Deny sqs:DeleteMessage *\"]\n");
        Assert.True(Allows(roles.Worker, "s3:GetObject", "arn:aws:s3:::iotile-firmware/v1.bin"));
        Assert.False(Allows(roles.Worker, "sqs:DeleteMessage", Arn("sqs", "iotile-worker-dev")));
        Assert.True(Allows(roles.Worker, "sqs:ReceiveMessage", Arn("sqs", "iotile-worker-dev")));
        Assert.False(Allows(roles.Web, "s3:GetObject", "arn:aws:s3:::iotile-firmware/v1.bin"));
    }

    [Fact]
    public void Every_document_fits_IAMs_limits_and_the_operator_policy_is_packed_into_managed_policies()
    {
        var roles = Roles("prod", "stages:\n  prod:\n    pipeline: {repository: iotile/iotile-cloud}\n    statics: {distribution: E2QWRUHAPOMQZL}\n");
        foreach (var role in roles.All)
        {
            Assert.True((role.Policy?.ToJsonString().Length ?? 0) <= PolicyDocuments.RoleInlineLimit, role.Name);
            Assert.True(role.Trust.ToJsonString().Length <= 2048, role.Name);
        }
        var statements = new OperatorPolicy(StackLoader.Parse("ops.stack.yml", "defaults: {}\n").For("prod"), roles, "us-east-1").Statements(changeIam: true);
        var packed = PolicyDocuments.Pack(statements, PolicyDocuments.ManagedPolicyLimit);
        Assert.True(packed.Count >= 2);
        Assert.All(packed, d => Assert.True(d.ToJsonString().Length <= PolicyDocuments.ManagedPolicyLimit));
        Assert.Equal(statements.Count, packed.Sum(d => d["Statement"]!.AsArray().Count));
    }

    [Fact]
    public void Documents_compare_by_meaning_not_by_spelling()
    {
        var a = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:B","sqs:A"],"Resource":"*"}]}""");
        var b = JsonNode.Parse("""{"Statement":{"Resource":["*"],"Action":["sqs:A","sqs:B"],"Effect":"Allow"},"Version":"2012-10-17"}""");
        Assert.True(PolicyDocuments.Same(a, b));
        Assert.True(PolicyDocuments.Same(PolicyDocuments.Read(Uri.EscapeDataString(a!.ToJsonString())), b));
        var c = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:A"],"Resource":"*"}]}""");
        Assert.False(PolicyDocuments.Same(a, c));
    }
}

/// <summary>The drill's report counts the requests IAM refused: any refusal makes the drill not ok.</summary>
public sealed class DrillReportIamTests
{
    [Fact]
    public void A_refused_request_makes_the_drill_not_ok_and_is_reported()
    {
        var report = new Drills.DrillReport { DrillId = "d1", Stage = "dev", Cloud = "local", StartedAt = DateTimeOffset.UnixEpoch, IamDenied = 0 };
        Assert.True(report.Ok);
        Assert.Contains("  iam:       0 request(s) refused by the roles' policies", report.Summary());
        report.IamDenied = 2;
        Assert.False(report.Ok);
        Assert.Equal(2, (long)report.ToJson()["iam_denied"]!);
        Assert.Contains(report.Summary(), l => l.Contains("2 request(s) refused") && l.Contains("iam-denied.log"));
        report.IamDenied = null;
        Assert.True(report.Ok);
        Assert.Null(report.ToJson()["iam_denied"]);
    }
}
