using System.Text.Json.Nodes;
using Ops.Stack.Model;

namespace Ops.Stack.Identity;

/// <summary>
/// Every role of a stage, generated from its stack as exact ARNs of this stage's resources (docs/iam.md says what
/// each allows and why; every <c>*</c> carries its reason). Pure: the same stack, account and region give the same
/// documents, so create-iam can compare them with what IAM holds.
/// </summary>
public sealed class StageRoles(StageStack stack, string account, string region)
{
    /// <summary>GitHub Actions' OpenID Connect issuer: one provider per account, made once by create-iam.</summary>
    public const string GitHubIssuer = "token.actions.githubusercontent.com";

    public const string EcsInstancePolicy = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";
    public const string BeanstalkWebTierPolicy = "arn:aws:iam::aws:policy/AWSElasticBeanstalkWebTier";
    public const string BeanstalkHealthPolicy = "arn:aws:iam::aws:policy/service-role/AWSElasticBeanstalkEnhancedHealth";
    public const string BeanstalkUpdatesPolicy = "arn:aws:iam::aws:policy/AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy";

    const string KmsWhy = "SSM decrypts SecureString parameters with the account's aws/ssm key, whose id differs per account; the condition limits it to decrypts SSM makes";

    public string Account => account;

    public string GitHubProviderArn => $"arn:aws:iam::{account}:oidc-provider/{GitHubIssuer}";

    /// <summary>The stage has a GitHub deploy role (and needs the account's GitHub provider): <c>pipeline.repository</c> names the repository.</summary>
    public bool HasDeployRole => stack.Pipeline.Repository != null;

    /// <summary>The roles, in the order create-iam puts them (the deploy role only when <see cref="HasDeployRole"/>).</summary>
    public IReadOnlyList<RoleSpec> All =>
        [Worker, Execution, Instance, Web, WebService, Firehose, .. HasDeployRole ? [Deploy] : Array.Empty<RoleSpec>()];

    /// <summary>The roles the stage's services run as (every role but the deploy role): what the operator passes and reads.</summary>
    public IReadOnlyList<string> ServiceRoleNames =>
        [stack.Iam.WorkerRole, stack.Iam.ExecutionRole, stack.Instances.InstanceProfile, stack.Iam.WebRole, stack.Iam.WebServiceRole, stack.Firehose.Role];

    string Arn(string service, string resource) => $"arn:aws:{service}:{region}:{account}:{resource}";

    IEnumerable<string> Queues => [Arn("sqs", stack.Queues.Work.Name), Arn("sqs", stack.Queues.Report.Name)];

    IEnumerable<string> TableAndIndexes(string table) => [Arn("dynamodb", $"table/{table}"), Arn("dynamodb", $"table/{table}/index/*")];

    string Secrets => Arn("ssm", $"parameter/{stack.Secrets.Prefix}*");

    static JsonObject ServiceTrust(string service, JsonObject? condition = null)
    {
        var statement = new JsonObject { ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["Service"] = service }, ["Action"] = "sts:AssumeRole" };
        if (condition != null) statement["Condition"] = condition;
        return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statement) };
    }

    IamStatement[] ReadSecrets(string sid) =>
    [
        IamStatement.AllowOn(sid, ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"], Secrets),
        IamStatement.AllowAll(sid + "Key", ["kms:Decrypt"], KmsWhy) with
        {
            Condition = new JsonObject { ["StringEquals"] = new JsonObject { ["kms:ViaService"] = $"ssm.{region}.amazonaws.com" } },
        },
    ];

    static IEnumerable<IamStatement> Extra(IReadOnlyList<string> statements, string owner) => statements.Select((s, i) => IamStatement.FromStack(s, owner, i));

    /// <summary>The workers' task role: their queues, the worker-log and rollout tables, the stage's secrets and its uploads bucket.</summary>
    public RoleSpec Worker => new()
    {
        Name = stack.Iam.WorkerRole,
        Purpose = "the worker tasks (ECS task role)",
        Trust = ServiceTrust("ecs-tasks.amazonaws.com"),
        Statements =
        [
            IamStatement.AllowOn("Queues", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                [.. Queues]),
            IamStatement.AllowOn("WorkerTables", ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
                [.. TableAndIndexes(stack.WorkerLogTable), .. TableAndIndexes(stack.Rollout.Table)]),
            .. ReadSecrets("Secrets"),
            IamStatement.AllowOn("Uploads", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], $"arn:aws:s3:::{stack.Buckets.Uploads}/*"),
            IamStatement.AllowOn("UploadsList", ["s3:ListBucket"], $"arn:aws:s3:::{stack.Buckets.Uploads}"),
            .. Extra(stack.Iam.WorkerStatements, "Stack"),
        ],
    };

    /// <summary>The task execution role ECS's agent uses for the worker tasks: pull the image, write the log group.</summary>
    public RoleSpec Execution => new()
    {
        Name = stack.Iam.ExecutionRole,
        Purpose = "ECS's agent for the worker tasks (task execution role)",
        Trust = ServiceTrust("ecs-tasks.amazonaws.com"),
        Statements =
        [
            IamStatement.AllowAll("RegistryLogin", ["ecr:GetAuthorizationToken"], "ECR's GetAuthorizationToken has no resource-level permissions"),
            IamStatement.AllowOn("Pull", ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], Arn("ecr", $"repository/{stack.Repository.Name}")),
            IamStatement.AllowOn("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"], Arn("logs", $"log-group:{stack.Ecs.LogGroup}:log-stream:*")),
        ],
    };

    /// <summary>The container instances' role and instance profile: AWS's managed policy for ECS instances.</summary>
    public RoleSpec Instance => new()
    {
        Name = stack.Instances.InstanceProfile,
        Purpose = "the ECS container instances (instance profile)",
        Trust = ServiceTrust("ec2.amazonaws.com"),
        ManagedPolicies = [EcsInstancePolicy],
        InstanceProfile = true,
    };

    /// <summary>The web tier's role and instance profile: send to the queues, read secrets, the statics and uploads buckets, put to Firehose, publish to the
    /// topics.</summary>
    public RoleSpec Web => new()
    {
        Name = stack.Iam.WebRole,
        Purpose = "the web tier (Elastic Beanstalk instance profile)",
        Trust = ServiceTrust("ec2.amazonaws.com"),
        ManagedPolicies = [BeanstalkWebTierPolicy],
        InstanceProfile = true,
        Statements =
        [
            IamStatement.AllowOn("Queues", ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"], [.. Queues]),
            .. ReadSecrets("Secrets"),
            IamStatement.AllowOn("Buckets", ["s3:GetObject"], $"arn:aws:s3:::{stack.Buckets.Statics}/*", $"arn:aws:s3:::{stack.Buckets.Uploads}/*"),
            IamStatement.AllowOn("BucketsList", ["s3:ListBucket"], $"arn:aws:s3:::{stack.Buckets.Statics}", $"arn:aws:s3:::{stack.Buckets.Uploads}"),
            IamStatement.AllowOn("Uploads", ["s3:PutObject", "s3:DeleteObject"], $"arn:aws:s3:::{stack.Buckets.Uploads}/*"),
            IamStatement.AllowOn("Stream", ["firehose:PutRecord", "firehose:PutRecordBatch"], Arn("firehose", $"deliverystream/{stack.Firehose.Stream}")),
            IamStatement.AllowOn("Topics", ["sns:Publish"], Arn("sns", stack.Topics.Staff), Arn("sns", stack.Topics.Web), Arn("sns", stack.Topics.Cache)),
            .. Extra(stack.Iam.WebStatements, "Stack"),
        ],
    };

    /// <summary>Elastic Beanstalk's service role: AWS's managed enhanced-health and managed-updates policies.</summary>
    public RoleSpec WebService => new()
    {
        Name = stack.Iam.WebServiceRole,
        Purpose = "Elastic Beanstalk itself (service role)",
        Trust = ServiceTrust("elasticbeanstalk.amazonaws.com", new JsonObject { ["StringEquals"] = new JsonObject { ["sts:ExternalId"] = "elasticbeanstalk" } }),
        ManagedPolicies = [BeanstalkHealthPolicy, BeanstalkUpdatesPolicy],
    };

    /// <summary>Firehose's delivery role: its landing bucket, nothing else.</summary>
    public RoleSpec Firehose => new()
    {
        Name = stack.Firehose.Role,
        Purpose = "Firehose delivery into the landing bucket",
        Trust = ServiceTrust("firehose.amazonaws.com", new JsonObject { ["StringEquals"] = new JsonObject { ["sts:ExternalId"] = account } }),
        Statements =
        [
            IamStatement.AllowOn("LandingBucket", ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
                $"arn:aws:s3:::{stack.Buckets.Firehose}", $"arn:aws:s3:::{stack.Buckets.Firehose}/*"),
        ],
    };

    /// <summary>The role GitHub Actions assumes for this stage: only the repository's environment named for the stage; it may run Ops for the stage but not
    /// change IAM.</summary>
    public RoleSpec Deploy => new()
    {
        Name = stack.Iam.DeployRole,
        Purpose = $"GitHub Actions of {stack.Pipeline.Repository}, environment {stack.Stage}",
        Trust = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Federated"] = GitHubProviderArn },
                ["Action"] = "sts:AssumeRoleWithWebIdentity",
                ["Condition"] = new JsonObject
                {
                    ["StringEquals"] = new JsonObject
                    {
                        [$"{GitHubIssuer}:aud"] = "sts.amazonaws.com",
                        [$"{GitHubIssuer}:sub"] = $"repo:{stack.Pipeline.Repository}:environment:{stack.Stage}",
                    },
                },
            }),
        },
        Statements = new OperatorPolicy(stack, this, region).Statements(changeIam: false),
    };
}
