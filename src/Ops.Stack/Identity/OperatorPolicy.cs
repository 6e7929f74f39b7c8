using System.Text.Json.Nodes;
using Ops.Stack.Model;

namespace Ops.Stack.Identity;

/// <summary>
/// What a person or CI needs to run Ops for one stage: every action its targets call, on this stage's resources.
/// With <c>changeIam</c> (the person who runs <c>create-iam</c> on a new account) it may also write this stage's
/// roles and the GitHub provider; the deploy role may only read them, so a workflow cannot widen its own rights.
/// </summary>
public sealed class OperatorPolicy(StageStack stack, StageRoles roles, string region)
{
    string Arn(string service, string resource) => $"arn:aws:{service}:{region}:{roles.Account}:{resource}";

    const string Ec2Why = "EC2 names instances, groups and network interfaces by ids made when they are created; Describe* calls cannot be narrowed";

    public IReadOnlyList<IamStatement> Statements(bool changeIam)
    {
        var s = stack;
        // Every role of the stage, the deploy role too: create-iam reads each (the deploy role runs it read-only in CI).
        var serviceRoleArns = roles.ServiceRoleNames.Select(r => $"arn:aws:iam::{roles.Account}:role/{r}").ToArray();
        string[] roleArns = [.. serviceRoleArns, .. roles.HasDeployRole ? [$"arn:aws:iam::{roles.Account}:role/{s.Iam.DeployRole}"] : Array.Empty<string>()];
        var profileArns = new[] { s.Instances.InstanceProfile, s.Iam.WebRole }.Select(p => $"arn:aws:iam::{roles.Account}:instance-profile/{p}").ToArray();
        string[] queues = [s.Queues.Work.Name, s.Queues.Work.DeadLetterName, s.Queues.Report.Name, s.Queues.Report.DeadLetterName];
        string[] tables = [s.WorkerLogTable, s.Rollout.Table, s.Tables.FilterLog, s.Tables.Devices];
        string[] buckets = [s.Buckets.Statics, s.Buckets.Uploads, s.Buckets.Firehose, $"elasticbeanstalk-{region}-{roles.Account}"];
        var list = new List<IamStatement>
        {
            IamStatement.AllowAll("Read", ["sts:GetCallerIdentity", "sqs:ListQueues", "dynamodb:ListTables", "ssm:DescribeParameters", "ecs:ListClusters",
                "ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions", "ecs:ListTaskDefinitionFamilies", "ecs:DeregisterTaskDefinition",
                "ecs:DeleteTaskDefinitions", "ecr:GetAuthorizationToken", "logs:DescribeLogGroups", "firehose:ListDeliveryStreams", "sns:ListTopics",
                "elasticbeanstalk:ListAvailableSolutionStacks", "elasticbeanstalk:CreateStorageLocation", "rds:DescribeDBInstances", "redshift:DescribeClusters",
                "elasticache:DescribeReplicationGroups", "elasticache:DescribeCacheClusters", "ec2:Describe*", "iam:ListOpenIDConnectProviders", "cloudformation:DescribeStacks"],
                "listing, describing and registering task definitions have no resource-level permissions (task definitions get revision numbers when registered)"),
            IamStatement.AllowOn("Queues", ["sqs:*"], [.. queues.Select(q => Arn("sqs", q))]),
            IamStatement.AllowOn("Tables", ["dynamodb:*"], [.. tables.SelectMany(t => new[] { Arn("dynamodb", $"table/{t}"), Arn("dynamodb", $"table/{t}/index/*") })]),
            IamStatement.AllowOn("Buckets", ["s3:*"], [.. buckets.SelectMany(b => new[] { $"arn:aws:s3:::{b}", $"arn:aws:s3:::{b}/*" })]),
            IamStatement.AllowOn("Topics", ["sns:*"], Arn("sns", s.Topics.Staff), Arn("sns", s.Topics.Web), Arn("sns", s.Topics.Cache)),
            IamStatement.AllowOn("Secrets", ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:PutParameter", "ssm:DeleteParameter", "ssm:DeleteParameters",
                "ssm:AddTagsToResource"], Arn("ssm", $"parameter/{s.Secrets.Prefix}*"), $"arn:aws:ssm:{region}::parameter/aws/service/ecs/*"),
            IamStatement.AllowAll("SecretsKey", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "SSM encrypts SecureString parameters with the account's aws/ssm key, whose id differs per account; the condition limits it to SSM") with
            {
                Condition = new JsonObject { ["StringEquals"] = new JsonObject { ["kms:ViaService"] = $"ssm.{region}.amazonaws.com" } },
            },
            IamStatement.AllowOn("Repository", ["ecr:*"], Arn("ecr", $"repository/{s.Repository.Name}")),
            IamStatement.AllowOn("Ecs", ["ecs:*"], Arn("ecs", $"cluster/{s.Ecs.Cluster}"), Arn("ecs", $"service/{s.Ecs.Cluster}/{s.Ecs.Service}"),
                Arn("ecs", $"task/{s.Ecs.Cluster}/*"), Arn("ecs", $"container-instance/{s.Ecs.Cluster}/*"), Arn("ecs", $"task-definition/{s.Ecs.TaskFamily}:*")),
            IamStatement.AllowOn("Logs", ["logs:*"], Arn("logs", $"log-group:{s.Ecs.LogGroup}"), Arn("logs", $"log-group:{s.Ecs.LogGroup}:*")),
            IamStatement.AllowOn("Stream", ["firehose:*"], Arn("firehose", $"deliverystream/{s.Firehose.Stream}")),
            IamStatement.AllowOn("Databases", ["rds:*"], Arn("rds", $"db:{s.Database.Identifier}"), Arn("rds", $"snapshot:{s.Database.Identifier}-*"), Arn("rds", $"subgrp:{s.Database.Identifier}")),
            IamStatement.AllowOn("Warehouses", ["redshift:*"], Arn("redshift", $"cluster:{s.Redshift.Cluster}"), Arn("redshift", $"cluster:{s.TimeSeries.Cluster}"),
                Arn("redshift", $"snapshot:{s.Redshift.Cluster}/*"), Arn("redshift", $"snapshot:{s.TimeSeries.Cluster}/*"), Arn("redshift", $"subnetgroup:{s.Redshift.Cluster}"),
                Arn("redshift", $"subnetgroup:{s.TimeSeries.Cluster}")),
            IamStatement.AllowOn("Cache", ["elasticache:*"], Arn("elasticache", $"replicationgroup:{s.Redis.ReplicationGroup}"), Arn("elasticache", $"cluster:{s.Redis.ReplicationGroup}-*"),
                Arn("elasticache", $"subnetgroup:{s.Redis.ReplicationGroup}"), Arn("elasticache", "parametergroup:default.*")),
            IamStatement.AllowOn("Web", ["elasticbeanstalk:*"], Arn("elasticbeanstalk", $"application/{s.Web.Application}"),
                Arn("elasticbeanstalk", $"applicationversion/{s.Web.Application}/*"), Arn("elasticbeanstalk", $"environment/{s.Web.Application}/{s.Web.Environment}"),
                $"arn:aws:elasticbeanstalk:{region}::solutionstack/*", $"arn:aws:elasticbeanstalk:{region}::platform/*"),
            IamStatement.AllowOn("WebStack", ["cloudformation:*"], Arn("cloudformation", "stack/awseb-*")),
            IamStatement.AllowAll("Compute", ["ec2:RunInstances", "ec2:TerminateInstances", "ec2:StartInstances", "ec2:StopInstances", "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup",
                "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:CreateTags", "ec2:DeleteTags", "autoscaling:*", "elasticloadbalancing:*"], Ec2Why),
            IamStatement.AllowOn("PassRoles", ["iam:PassRole"], serviceRoleArns) with
            {
                Condition = new JsonObject
                {
                    ["StringEquals"] = new JsonObject
                    {
                        ["iam:PassedToService"] = new JsonArray("ecs-tasks.amazonaws.com", "ec2.amazonaws.com", "elasticbeanstalk.amazonaws.com", "firehose.amazonaws.com"),
                    },
                },
            },
            IamStatement.AllowOn("ReadRoles", ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:GetInstanceProfile"],
                [.. roleArns, .. profileArns]),
        };
        if (s.Statics.Distribution is { } distribution)
            list.Add(IamStatement.AllowOn("Cdn", ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation", "cloudfront:ListInvalidations"],
                $"arn:aws:cloudfront::{roles.Account}:distribution/{distribution}"));
        if (changeIam)
        {
            list.Add(IamStatement.AllowOn("WriteRoles", ["iam:CreateRole", "iam:DeleteRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
                "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile"], [.. roleArns, .. profileArns]));
            list.Add(IamStatement.AllowOn("GitHubProvider", ["iam:CreateOpenIDConnectProvider", "iam:GetOpenIDConnectProvider"], roles.GitHubProviderArn));
        }
        return list;
    }
}
