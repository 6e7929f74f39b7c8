using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests;

/// <summary>
/// Over the wire, with the aws CLI as the client: requests signed with a role's temporary credentials are evaluated
/// against the role's policies (AccessDenied in each service's dialect, naming action and resource, logged), the
/// operator's keys are not, and a task with a task role gets that role's credentials from the endpoint ECS uses.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IamEnforcementTests
{
    const string Account = "123456789012";

    const string TaskTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    static string WorkerPolicy(string queue) => $$"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage","sqs:GetQueueUrl","sqs:GetQueueAttributes"],"Resource":"arn:aws:sqs:us-east-1:{{Account}}:{{queue}}"}]}
        """;

    static Task<JsonNode?> AsOperator(Uri url, params string[] args) => AwsCli.RunAs(TestKeys.OperatorAccessKey, TestKeys.OperatorSecretKey, url, args);

    static async Task<(string, string, string)> AssumeAsync(Uri url, string role)
    {
        var assumed = await AsOperator(url, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{Account}:role/{role}", "--role-session-name", "test");
        var c = assumed!["Credentials"]!;
        return ((string)c["AccessKeyId"]!, (string)c["SecretAccessKey"]!, (string)c["SessionToken"]!);
    }

    static async Task CreateWorkerRoleAsync(Uri url, string role, string queue)
    {
        await AsOperator(url, "iam", "create-role", "--role-name", role, "--assume-role-policy-document", TaskTrust);
        await AsOperator(url, "iam", "put-role-policy", "--role-name", role, "--policy-name", "queues", "--policy-document", WorkerPolicy(queue));
    }

    /// <summary>Runs one task of a local-command definition (<c>sh script</c>) whose task role is <paramref name="role"/>; returns its id.</summary>
    static async Task<string> RunAsRoleAsync(TaskCloud cloud, string script, string role)
    {
        await cloud.Ecs("CreateCluster", new JsonObject { ["clusterName"] = "dev" });
        var container = new JsonObject
        {
            ["name"] = "worker",
            ["image"] = "127.0.0.1:5000/worker:local-command",
            ["memory"] = 128,
            ["essential"] = true,
            ["dockerLabels"] = new JsonObject { ["ops.local.command"] = new JsonArray("sh", script).ToJsonString(), ["ops.local.directory"] = cloud.Root },
            ["logConfiguration"] = TaskCloud.LogConfiguration(),
        };
        var td = await cloud.Ecs("RegisterTaskDefinition", new JsonObject
        {
            ["family"] = "worker",
            ["taskRoleArn"] = $"arn:aws:iam::{Account}:role/{role}",
            ["containerDefinitions"] = new JsonArray(container),
        });
        return await cloud.RunTask((string)td["taskDefinition"]!["taskDefinitionArn"]!);
    }

    [Fact]
    public async Task A_role_session_is_allowed_what_its_policies_allow_and_denied_the_rest_naming_action_and_resource()
    {
        await using var cloud = await TaskCloud.StartAsync();
        await AsOperator(cloud.Url, "sqs", "create-queue", "--queue-name", "dev-work");
        await AsOperator(cloud.Url, "sqs", "create-queue", "--queue-name", "prod-work");
        await AsOperator(cloud.Url, "dynamodb", "create-table", "--table-name", "dev-log", "--billing-mode", "PAY_PER_REQUEST",
            "--attribute-definitions", "AttributeName=id,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH");
        await CreateWorkerRoleAsync(cloud.Url, "dev-worker", "dev-work");
        var session = await AssumeAsync(cloud.Url, "dev-worker");
        var devQueue = $"{cloud.Url.ToString().TrimEnd('/')}/{Account}/dev-work";
        var prodQueue = $"{cloud.Url.ToString().TrimEnd('/')}/{Account}/prod-work";

        var (code, who, error) = await AwsCli.TrySession(session, cloud.Url, "sts", "get-caller-identity");
        Assert.True(code == 0, error);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/dev-worker/test", (string?)who!["Arn"]);
        (code, _, error) = await AwsCli.TrySession(session, cloud.Url, "sqs", "send-message", "--queue-url", devQueue, "--message-body", "{}");
        Assert.True(code == 0, error);

        (code, _, error) = await AwsCli.TrySession(session, cloud.Url, "sqs", "send-message", "--queue-url", prodQueue, "--message-body", "{}");
        Assert.NotEqual(0, code);
        Assert.Contains("(AccessDenied)", error);
        Assert.Contains($"User: arn:aws:sts::{Account}:assumed-role/dev-worker/test is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:us-east-1:{Account}:prod-work", error);

        (code, _, error) = await AwsCli.TrySession(session, cloud.Url, "dynamodb", "delete-table", "--table-name", "dev-log");
        Assert.Contains("(AccessDeniedException)", error);
        Assert.Contains($"dynamodb:DeleteTable on resource: arn:aws:dynamodb:us-east-1:{Account}:table/dev-log because no identity-based policy allows", error);
        (code, _, error) = await AwsCli.TrySession(session, cloud.Url, "s3api", "list-objects-v2", "--bucket", "dev-uploads");
        Assert.Contains("(AccessDenied)", error);

        // Nothing was changed by the refused calls; the operator is never evaluated.
        Assert.NotNull(await AsOperator(cloud.Url, "dynamodb", "describe-table", "--table-name", "dev-log"));
        await AsOperator(cloud.Url, "sqs", "send-message", "--queue-url", prodQueue, "--message-body", "{}");
        Assert.Equal(3, cloud.Server.DeniedRequests);
        var logged = File.ReadAllLines(Path.Combine(cloud.Root, "state", "iam-denied.log"));
        Assert.Equal(3, logged.Length);
        Assert.Contains("sqs:SendMessage on resource: arn:aws:sqs:us-east-1:123456789012:prod-work", logged[0]);

        // A deny statement added later wins over the allow, at once.
        await AsOperator(cloud.Url, "iam", "put-role-policy", "--role-name", "dev-worker", "--policy-name", "no-send", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"*"}]}""");
        (code, _, error) = await AwsCli.TrySession(session, cloud.Url, "sqs", "send-message", "--queue-url", devQueue, "--message-body", "{}");
        Assert.Contains("with an explicit deny in an identity-based policy", error);

        // A session token that is not the one issued is refused before anything else.
        (code, _, error) = await AwsCli.TrySession((session.Item1, session.Item2, session.Item3 + "x"), cloud.Url, "sqs", "list-queues");
        Assert.NotEqual(0, code);
        Assert.Contains("security token included in the request is invalid", error);
    }

    [Fact]
    public async Task The_simulator_answers_with_the_evaluator_that_enforces()
    {
        await using var cloud = await TaskCloud.StartAsync();
        await CreateWorkerRoleAsync(cloud.Url, "dev-worker", "dev-work");
        var simulated = await AsOperator(cloud.Url, "iam", "simulate-principal-policy", "--policy-source-arn", $"arn:aws:iam::{Account}:role/dev-worker",
            "--action-names", "sqs:ReceiveMessage", "--resource-arns", $"arn:aws:sqs:us-east-1:{Account}:dev-work", $"arn:aws:sqs:us-east-1:{Account}:prod-work");
        Assert.Equal(["allowed", "implicitDeny"], simulated!["EvaluationResults"]!.AsArray().Select(r => (string?)r!["EvalDecision"]));
    }

    [Fact]
    public async Task A_task_with_a_task_role_gets_that_role_from_the_credentials_endpoint_and_is_held_to_it()
    {
        await using var cloud = await TaskCloud.StartAsync();
        await AsOperator(cloud.Url, "sqs", "create-queue", "--queue-name", "dev-work");
        await CreateWorkerRoleAsync(cloud.Url, "dev-worker", "dev-work");
        var devQueue = $"{cloud.Url.ToString().TrimEnd('/')}/{Account}/dev-work";
        // The aws CLI inside the task: botocore's own container-credentials provider fetches the role's keys.
        var script = cloud.Script("task.sh", $$"""
            echo "keys:${AWS_ACCESS_KEY_ID:-none}"
            export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
            aws sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL" --query Arn --output text
            aws sqs receive-message --endpoint-url "$AWS_ENDPOINT_URL" --queue-url {{devQueue}} --output text && echo "received-ok"
            aws sqs delete-message --endpoint-url "$AWS_ENDPOINT_URL" --queue-url {{devQueue}} --receipt-handle nope 2>&1 | tr '\n' ' '
            echo
            echo done
            sleep 30
            """);
        var id = await RunAsRoleAsync(cloud, script, "dev-worker");
        await cloud.WaitForLog(id, "done");
        var lines = await cloud.Logs(id);
        Assert.Contains("keys:none", lines); // never the operator's, nor the public keys
        Assert.Contains($"arn:aws:sts::{Account}:assumed-role/dev-worker/{id}", lines);
        Assert.Contains("received-ok", lines);
        Assert.Contains(lines, l => l.Contains("(AccessDenied)") && l.Contains("sqs:DeleteMessage on resource: arn:aws:sqs:us-east-1:123456789012:dev-work"));
    }

    [Fact]
    public async Task A_task_role_whose_trust_does_not_admit_ECS_tasks_gets_no_credentials()
    {
        await using var cloud = await TaskCloud.StartAsync();
        await AsOperator(cloud.Url, "iam", "create-role", "--role-name", "web-only", "--assume-role-policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");
        var script = cloud.Script("fetch.sh", """
            python3 -c 'import os,urllib.request,urllib.error
            try: urllib.request.urlopen(os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"])
            except urllib.error.HTTPError as e: print("refused", e.code, e.read().decode())'
            echo done
            sleep 30
            """);
        var id = await RunAsRoleAsync(cloud, script, "web-only");
        var refused = await cloud.WaitForLog(id, "refused");
        Assert.Contains("400", refused);
        Assert.Contains("trust policy does not admit the service principal ecs-tasks.amazonaws.com", refused);
    }
}
