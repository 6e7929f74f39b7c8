namespace Ops.Stack.Tests;

/// <summary>The data-store, web-tier and secrets fields of the stack file: each bad value is one line naming the field, the problem and the fix.</summary>
public sealed class StackStoresValidationTests
{
    static string ErrorOf(string text) => Assert.Throws<StackException>(() => StackLoader.Parse("ops.stack.yml", text)).Message;

    [Theory]
    [InlineData("defaults:\n  database: {identifier: 1db}\n", "defaults.database.identifier: '1db' is not a valid RDS DB instance identifier")]
    [InlineData("defaults:\n  database: {identifier: \"db--{stage}\"}\n", "is not a valid RDS DB instance identifier (1–63 letters, digits and -, starting with a letter, without -- or a trailing -)")]
    [InlineData("defaults:\n  database: {storage-gb: 10}\n", "defaults.database.storage-gb: 10 is out of range 20–65536")]
    [InlineData("defaults:\n  database: {multi-az: yes}\n", "defaults.database.multi-az: expected true or false, got 'yes' — write true or false without quotes")]
    [InlineData("defaults:\n  database: {instance-class: t4g.micro}\n", "'t4g.micro' is not a valid RDS instance class (db.family.size)")]
    [InlineData("defaults:\n  redshift: {cluster: Analytics}\n", "'Analytics' is not a valid Redshift cluster identifier")]
    [InlineData("defaults:\n  timeseries: {cluster: \"iotile-redshift-{stage}\"}\n", "'iotile-redshift-dev' is also redshift.cluster — give each cluster its own identifier")]
    [InlineData("defaults:\n  redis: {replication-group: \"a-very-long-replication-group-name-{stage}-x\"}\n", "is not a valid ElastiCache replication group id (1–40")]
    [InlineData("defaults:\n  redis: {nodes: 9}\n", "defaults.redis.nodes: 9 is out of range 1–6")]
    [InlineData("defaults:\n  buckets: {uploads: \"iotile-statics-{stage}\"}\n", "'iotile-statics-dev' is also buckets.statics — give each bucket its own name")]
    [InlineData("defaults:\n  buckets: {statics: Statics_Bucket}\n", "'Statics_Bucket' is not a valid S3 bucket name")]
    [InlineData("defaults:\n  tables: {devices: \"iotile-worker-logs-{stage}\"}\n", "'iotile-worker-logs-dev' is also worker-log-table — give each table its own name")]
    [InlineData("defaults:\n  security-groups: {database: \"iotile-ecs-{stage}\"}\n", "'iotile-ecs-dev' is also instances.security-group — give each group its own name")]
    [InlineData("defaults:\n  topics: {cache: \"iotile-staff-notifications-{stage}\"}\n", "is also topics.staff — give each topic its own name")]
    [InlineData("defaults:\n  database: {password-secret: DbPass}\n", "defaults.database.password-secret: 'DbPass' is not in secrets.generated — add it there")]
    [InlineData("defaults:\n  secrets: {generated: [SecretKey, SecretKey]}\n", "defaults.secrets.generated: 'SecretKey' is listed twice — list each secret once")]
    [InlineData("defaults:\n  secrets: {required: [\"Bad Name\"]}\n", "'Bad Name' is not a valid secret name (1–128 letters, digits and _ . -)")]
    [InlineData("defaults:\n  secrets: {prefix: \"aws.{stage}.\"}\n", "'aws.dev.' is not a valid SSM parameter name prefix")]
    [InlineData("defaults:\n  web: {environment-variables: {OPS_DATABASE_HOST: x}}\n", "OPS_DATABASE_HOST may not be set here — Ops sets it from the RDS instance's endpoint; remove it")]
    [InlineData("defaults:\n  web: {environment: ab}\n", "'ab' is not a valid Elastic Beanstalk environment name")]
    [InlineData("defaults:\n  statics: {distribution: e123}\n", "'e123' is not a valid CloudFront distribution id")]
    [InlineData("defaults:\n  firehose: {buffer: 10s}\n", "defaults.firehose.buffer: 10s is out of range 1m–15m")]
    [InlineData("defaults:\n  iam: {worker-statements: [\"Allow s3GetObject arn:aws:s3:::iotile-firmware/*\"]}\n", "'Allow s3GetObject arn:aws:s3:::iotile-firmware/*' is not a valid IAM statement")]
    [InlineData("defaults:\n  iam: {web-statements: [\"Allow s3:GetObject arn:aws:s3:iotile-firmware\"]}\n", "is not a valid IAM statement (Allow or Deny, then service:Action")]
    [InlineData("defaults:\n  iam: {web-statements: [\"Permit s3:GetObject *\"]}\n", "like Allow s3:GetObject arn:aws:s3:::iotile-firmware/*")]
    [InlineData("defaults:\n  iam: {web-role: \"iotile-worker-{stage}\"}\n", "'iotile-worker-dev' is also iam.worker-role — give each role its own name")]
    [InlineData("defaults:\n  pipeline: {repository: iotile}\n", "'iotile' is not a valid GitHub repository (owner/name)")]
    public void A_bad_store_field_is_one_line_naming_it_and_the_fix(string file, string expected)
    {
        var message = ErrorOf(file);
        Assert.StartsWith("ops.stack.yml:", message);
        Assert.Contains(expected, message);
        Assert.DoesNotContain("\n", message);
    }

    [Fact]
    public void The_built_in_stacks_pass_the_store_checks_and_prod_is_multi_az_with_every_third_party_secret_required()
    {
        var stacks = StackLoader.Parse("ops.stack.yml", "defaults: {}\n");
        var prod = stacks.For("prod");
        Assert.True(prod.Database.MultiAz);
        Assert.Contains("TwilioSID", prod.Secrets.Required);
        var dev = stacks.For("dev");
        Assert.False(dev.Database.MultiAz);
        Assert.Equal(dev.Secrets.Generated, dev.Secrets.Required);
        Assert.Equal("iotilecloud.dev.RdsPassword", dev.Secrets.ParameterName("RdsPassword"));
    }
}
