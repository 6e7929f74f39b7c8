namespace Ops.LocalCloud.Tests.Conformance;

/// <summary>The Elastic Beanstalk rows: applications, versions, environments (launch, deploy, terminate), health, events, platform.</summary>
public static partial class ConformanceTable
{
    const string EbArn = "arn:aws:elasticbeanstalk:us-east-1:123456789012:";
    const string EbStack = "64bit Amazon Linux 2023 v4.1.0 running Python 3.11";

    static Task EbApplication(ConformanceContext x) => x.Aws("elasticbeanstalk", "create-application", "--application-name", x.Name, "--description", "conformance");

    static string[] EbCreateVersionArgs(ConformanceContext x) =>
        ["elasticbeanstalk", "create-application-version", "--application-name", x.Name, "--version-label", "v1", "--source-bundle", $"S3Bucket=deploys,S3Key={x.Name}/v1.zip"];

    static string[] EbCreateEnvironmentArgs(ConformanceContext x) =>
        ["elasticbeanstalk", "create-environment", "--application-name", x.Name, "--environment-name", x.Name, "--solution-stack-name", EbStack];

    static async Task EbVersion(ConformanceContext x)
    {
        await EbApplication(x);
        await x.Aws(EbCreateVersionArgs(x));
    }

    static async Task EbEnvironment(ConformanceContext x)
    {
        await EbApplication(x);
        x.Values["env"] = (string)(await x.Aws(EbCreateEnvironmentArgs(x)))!["EnvironmentId"]!;
    }

    static ConformanceRow[] ElasticBeanstalk =>
    [
        // ---------------- applications and versions ----------------
        Row("elasticbeanstalk", "CreateApplication", x => ["elasticbeanstalk", "create-application", "--application-name", x.Name, "--description", "conformance"], (x, r) =>
        {
            var app = r!["Application"]!;
            Assert.Equal((x.Name, "conformance", $"{EbArn}application/{x.Name}"), ((string?)app["ApplicationName"], (string?)app["Description"], (string?)app["ApplicationArn"]));
            return Done;
        }),
        Error("elasticbeanstalk", "CreateApplication", x => ["elasticbeanstalk", "create-application", "--application-name", x.Name], "InvalidParameterValue", EbApplication),
        Row("elasticbeanstalk", "DescribeApplications", x => ["elasticbeanstalk", "describe-applications", "--application-names", x.Name], (x, r) =>
        {
            var app = r!["Applications"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "conformance", $"{EbArn}application/{x.Name}"), ((string?)app["ApplicationName"], (string?)app["Description"], (string?)app["ApplicationArn"]));
            Assert.Equal(["v1"], AsStrings(app["Versions"]));
            return Done;
        }, EbVersion),
        Row("elasticbeanstalk", "DeleteApplication", x => ["elasticbeanstalk", "delete-application", "--application-name", x.Name], async (x, _) =>
            Assert.Empty((await x.Aws("elasticbeanstalk", "describe-applications", "--application-names", x.Name))!["Applications"]!.AsArray()), EbApplication),
        Row("elasticbeanstalk", "CreateApplicationVersion", EbCreateVersionArgs, (x, r) =>
        {
            var v = r!["ApplicationVersion"]!;
            Assert.Equal((x.Name, "v1", "deploys", $"{x.Name}/v1.zip", $"{EbArn}applicationversion/{x.Name}/v1"),
                ((string?)v["ApplicationName"], (string?)v["VersionLabel"], (string?)v["SourceBundle"]!["S3Bucket"], (string?)v["SourceBundle"]!["S3Key"], (string?)v["ApplicationVersionArn"]));
            Assert.Equal("UNPROCESSED", (string?)v["Status"]);
            return Done;
        }, EbApplication),
        Error("elasticbeanstalk", "CreateApplicationVersion", EbCreateVersionArgs, "InvalidParameterValue", EbVersion),
        Row("elasticbeanstalk", "DescribeApplicationVersions", x => ["elasticbeanstalk", "describe-application-versions", "--application-name", x.Name], (x, r) =>
        {
            var v = r!["ApplicationVersions"]!.AsArray().Single()!;
            Assert.Equal((x.Name, "v1", "deploys", $"{x.Name}/v1.zip"),
                ((string?)v["ApplicationName"], (string?)v["VersionLabel"], (string?)v["SourceBundle"]!["S3Bucket"], (string?)v["SourceBundle"]!["S3Key"]));
            return Done;
        }, EbVersion),
        Row("elasticbeanstalk", "DeleteApplicationVersion", x => ["elasticbeanstalk", "delete-application-version", "--application-name", x.Name, "--version-label", "v1"],
            async (x, _) => Assert.Empty((await x.Aws("elasticbeanstalk", "describe-application-versions", "--application-name", x.Name))!["ApplicationVersions"]!.AsArray()),
            EbVersion),

        // ---------------- environments ----------------
        Row("elasticbeanstalk", "CreateEnvironment", x => [.. EbCreateEnvironmentArgs(x), "--version-label", "v1"], (x, r) =>
        {
            Assert.Equal((x.Name, x.Name, "v1", EbStack, $"{EbArn}environment/{x.Name}/{x.Name}"),
                ((string?)r!["EnvironmentName"], (string?)r["ApplicationName"], (string?)r["VersionLabel"], (string?)r["SolutionStackName"], (string?)r["EnvironmentArn"]));
            Assert.StartsWith("e-", (string?)r["EnvironmentId"]);
            Assert.Equal(("WebServer", "Standard"), ((string?)r["Tier"]!["Name"], (string?)r["Tier"]!["Type"]));
            return Done;
        }, EbVersion),
        Error("elasticbeanstalk", "CreateEnvironment", EbCreateEnvironmentArgs, "InvalidParameterValue", EbEnvironment),
        Row("elasticbeanstalk", "DescribeEnvironments", x => ["elasticbeanstalk", "describe-environments", "--environment-names", x.Name], (x, r) =>
        {
            var e = r!["Environments"]!.AsArray().Single()!;
            Assert.Equal((x["env"], x.Name, x.Name, "Ready", "Green"),
                ((string?)e["EnvironmentId"], (string?)e["EnvironmentName"], (string?)e["ApplicationName"], (string?)e["Status"], (string?)e["Health"]));
            return Done;
        }, EbEnvironment),
        Row("elasticbeanstalk", "UpdateEnvironment", x => ["elasticbeanstalk", "update-environment", "--environment-name", x.Name, "--version-label", "v1"], async (x, r) =>
        {
            Assert.Equal((x["env"], x.Name, "v1"), ((string?)r!["EnvironmentId"], (string?)r["EnvironmentName"], (string?)r["VersionLabel"]));
            var e = (await x.Aws("elasticbeanstalk", "describe-environments", "--environment-names", x.Name))!["Environments"]![0]!;
            Assert.Equal(("v1", "Ready", "Green"), ((string?)e["VersionLabel"], (string?)e["Status"], (string?)e["Health"]));
        }, async x =>
        {
            await EbEnvironment(x);
            await x.Aws(EbCreateVersionArgs(x));
        }),
        Error("elasticbeanstalk", "UpdateEnvironment", x => ["elasticbeanstalk", "update-environment", "--environment-name", x.Name, "--version-label", "v1"], "InvalidParameterValue", EbVersion),
        Row("elasticbeanstalk", "TerminateEnvironment", x => ["elasticbeanstalk", "terminate-environment", "--environment-name", x.Name], async (x, r) =>
        {
            Assert.Equal((x["env"], x.Name), ((string?)r!["EnvironmentId"], (string?)r["EnvironmentName"]));
            Assert.Contains((string?)r["Status"], new[] { "Terminating", "Terminated" });
            Assert.Empty((await x.Aws("elasticbeanstalk", "describe-environments", "--environment-names", x.Name, "--no-include-deleted"))!["Environments"]!.AsArray());
        }, EbEnvironment),
        Error("elasticbeanstalk", "TerminateEnvironment", x => ["elasticbeanstalk", "terminate-environment", "--environment-name", x.Name], "InvalidParameterValue"),
        Row("elasticbeanstalk", "DescribeEnvironmentHealth", x => ["elasticbeanstalk", "describe-environment-health", "--environment-name", x.Name, "--attribute-names", "All"], (x, r) =>
        {
            Assert.Equal((x.Name, "Ready", "Ok", "Green"), ((string?)r!["EnvironmentName"], (string?)r["Status"], (string?)r["HealthStatus"], (string?)r["Color"]));
            Assert.Empty(r["Causes"]!.AsArray());
            return Done;
        }, EbEnvironment),
        Row("elasticbeanstalk", "DescribeEvents", x => ["elasticbeanstalk", "describe-events", "--environment-name", x.Name], (x, r) =>
        {
            var events = r!["Events"]!.AsArray();
            Assert.All(events, e => Assert.Equal((x.Name, x.Name), ((string?)e!["ApplicationName"], (string?)e["EnvironmentName"])));
            var messages = events.Select(e => (string?)e!["Message"]).ToList();
            Assert.Contains("createEnvironment is starting.", messages);
            Assert.Contains($"Successfully launched environment: {x.Name}", messages);
            Assert.True(messages.IndexOf($"Successfully launched environment: {x.Name}") < messages.IndexOf("createEnvironment is starting."), "Events are not newest first.");
            return Done;
        }, EbEnvironment),

        Row("elasticbeanstalk", "DescribeConfigurationSettings", x => ["elasticbeanstalk", "describe-configuration-settings", "--application-name", x.Name, "--environment-name", x.Name], (x, r) =>
        {
            var settings = r!["ConfigurationSettings"]!.AsArray().Single()!;
            Assert.Equal((x.Name, x.Name, EbStack, "deployed"),
                ((string?)settings["ApplicationName"], (string?)settings["EnvironmentName"], (string?)settings["SolutionStackName"], (string?)settings["DeploymentStatus"]));
            var options = settings["OptionSettings"]!.AsArray();
            Assert.Contains(options, o => (string?)o!["Namespace"] == "aws:elasticbeanstalk:application:environment" && (string?)o["OptionName"] == "STAGE" && (string?)o["Value"] == "dev");
            Assert.DoesNotContain(options, o => (string?)o!["OptionName"] == "REMOVED");
            return Done;
        }, async x =>
        {
            await EbApplication(x);
            await x.Aws([.. EbCreateEnvironmentArgs(x), "--option-settings",
                "Namespace=aws:elasticbeanstalk:application:environment,OptionName=STAGE,Value=stage",
                "Namespace=aws:elasticbeanstalk:application:environment,OptionName=REMOVED,Value=x"]);
            await x.Aws("elasticbeanstalk", "update-environment", "--environment-name", x.Name,
                "--option-settings", "Namespace=aws:elasticbeanstalk:application:environment,OptionName=STAGE,Value=dev",
                "--options-to-remove", "Namespace=aws:elasticbeanstalk:application:environment,OptionName=REMOVED");
        }),
        Error("elasticbeanstalk", "DescribeConfigurationSettings", x => ["elasticbeanstalk", "describe-configuration-settings", "--application-name", x.Name, "--environment-name", x.Name], "InvalidParameterValue", EbApplication),

        // ---------------- platform ----------------
        Row("elasticbeanstalk", "CreateStorageLocation", _ => ["elasticbeanstalk", "create-storage-location"], (_, r) =>
        {
            Assert.Equal("elasticbeanstalk-us-east-1-123456789012", (string?)r!["S3Bucket"]);
            return Done;
        }),
        Row("elasticbeanstalk", "ListAvailableSolutionStacks", _ => ["elasticbeanstalk", "list-available-solution-stacks"], (_, r) =>
        {
            var stacks = AsStrings(r!["SolutionStacks"]).ToList();
            Assert.Contains(EbStack, stacks);
            Assert.All(stacks, s => Assert.StartsWith("64bit Amazon Linux", s));
            return Done;
        }),
    ];
}
