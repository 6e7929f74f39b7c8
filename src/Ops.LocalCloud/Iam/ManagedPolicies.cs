namespace Ops.LocalCloud.Iam;

/// <summary>
/// The AWS managed policies the local cloud knows, by ARN: the ones Ops attaches (ECS container instances, Elastic
/// Beanstalk's web tier, enhanced health and managed updates). Their documents are the statements of AWS's own
/// versions that concern the services served here; attaching any other <c>arn:aws:iam::aws:policy/…</c> is refused,
/// so a typo shows locally instead of on AWS.
/// </summary>
public static class ManagedPolicies
{
    public const string EcsInstance = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";
    public const string BeanstalkWebTier = "arn:aws:iam::aws:policy/AWSElasticBeanstalkWebTier";
    public const string BeanstalkEnhancedHealth = "arn:aws:iam::aws:policy/service-role/AWSElasticBeanstalkEnhancedHealth";
    public const string BeanstalkManagedUpdates = "arn:aws:iam::aws:policy/AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy";

    static readonly Dictionary<string, string> Documents = new(StringComparer.Ordinal)
    {
        [EcsInstance] = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["ec2:DescribeTags","ecs:CreateCluster","ecs:DeregisterContainerInstance","ecs:DiscoverPollEndpoint","ecs:Poll",
                "ecs:RegisterContainerInstance","ecs:StartTelemetrySession","ecs:UpdateContainerInstancesState","ecs:Submit*","ecr:GetAuthorizationToken",
                "ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"},
              {"Effect":"Allow","Action":"ecs:TagResource","Resource":"*","Condition":{"StringEquals":{"ecs:CreateAction":["CreateCluster","RegisterContainerInstance"]}}},
              {"Effect":"Allow","Action":["ecs:ListTagsForResource"],"Resource":["arn:aws:ecs:*:*:task/*/*","arn:aws:ecs:*:*:container-instance/*/*"]}]}
            """,
        [BeanstalkWebTier] = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"BucketAccess","Effect":"Allow","Action":["s3:Get*","s3:List*","s3:PutObject"],"Resource":["arn:aws:s3:::elasticbeanstalk-*","arn:aws:s3:::elasticbeanstalk-*/*"]},
              {"Sid":"CloudWatchLogsAccess","Effect":"Allow","Action":["logs:PutLogEvents","logs:CreateLogStream","logs:DescribeLogStreams","logs:DescribeLogGroups"],
                "Resource":["arn:aws:logs:*:*:log-group:/aws/elasticbeanstalk*"]},
              {"Sid":"ElasticBeanstalkHealthAccess","Effect":"Allow","Action":["elasticbeanstalk:PutInstanceStatistics"],
                "Resource":["arn:aws:elasticbeanstalk:*:*:application/*","arn:aws:elasticbeanstalk:*:*:environment/*"]}]}
            """,
        [BeanstalkEnhancedHealth] = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["elasticloadbalancing:DescribeInstanceHealth","elasticloadbalancing:DescribeLoadBalancers","elasticloadbalancing:DescribeTargetHealth",
                "ec2:DescribeInstances","ec2:DescribeInstanceStatus","ec2:GetConsoleOutput","ec2:AssociateAddress","ec2:DescribeAddresses","ec2:DescribeSecurityGroups",
                "sqs:GetQueueAttributes","sqs:GetQueueUrl","autoscaling:DescribeAutoScalingGroups","autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeScalingActivities","autoscaling:DescribeNotificationConfigurations","sns:Publish"],"Resource":["*"]},
              {"Effect":"Allow","Action":["logs:DescribeLogStreams","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:*:log-group:/aws/elasticbeanstalk/*:log-stream:*"}]}
            """,
        [BeanstalkManagedUpdates] = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"ElasticBeanstalkPermissions","Effect":"Allow","Action":["elasticbeanstalk:*"],"Resource":"*"},
              {"Sid":"AllowPassRoleToElasticBeanstalkAndDownstreamServices","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*",
                "Condition":{"StringEquals":{"iam:PassedToService":["elasticbeanstalk.amazonaws.com","ec2.amazonaws.com","autoscaling.amazonaws.com","elasticloadbalancing.amazonaws.com","ecs.amazonaws.com","cloudformation.amazonaws.com"]}}},
              {"Sid":"ReadOnly","Effect":"Allow","Action":["autoscaling:Describe*","ec2:Describe*","elasticloadbalancing:Describe*","cloudwatch:Describe*","sns:Get*","sns:List*","sqs:GetQueueAttributes","sqs:GetQueueUrl"],"Resource":"*"}]}
            """,
    };

    /// <summary>The managed policy's document, or null when it is not an AWS managed policy this local cloud knows.</summary>
    public static string? Find(string arn) => Documents.GetValueOrDefault(arn);

    /// <summary>The ARNs known (for the error that refuses another).</summary>
    public static IEnumerable<string> Known => Documents.Keys.Order(StringComparer.Ordinal);

    /// <summary>The policy's name: the last path segment of its ARN.</summary>
    public static string NameOf(string arn) => arn[(arn.LastIndexOf('/') + 1)..];
}
