using System.Text.Json.Nodes;

namespace Ops.Stack.Tests;

/// <summary>create-iam and up --dry-run against moto (an emulator nobody here wrote), read back with the aws CLI.</summary>
[Collection(MotoCloudCollection.Name)]
public sealed class IamMotoTests(MotoCloud moto)
{
    static readonly Lazy<string> StackFile = new(() =>
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("ops-iam-moto-").FullName, "ops.stack.yml");
        File.WriteAllText(file, "defaults:\n  pipeline: {repository: iotile/iotile-cloud}\nstages:\n  miam: {}\n  miamdry: {}\n");
        return file;
    });

    Task<CliRun> Run(params string[] args) => OpsCli.RunAsync([.. args, "--endpoint-url", moto.Url.ToString(), "--stack", StackFile.Value], TimeSpan.FromMinutes(5));

    static readonly string[] Roles =
        ["iotile-worker-{0}", "iotile-worker-execution-{0}", "iotile-ecs-instance-{0}", "iotile-web-{0}", "iotile-web-service-{0}", "iotile-firehose-{0}", "iotile-deploy-{0}"];

    [Fact]
    public async Task Create_iam_on_moto_puts_roles_naming_only_this_stages_ARNs_and_a_second_run_changes_nothing()
    {
        var first = await Run("create-iam", "--stage", "miam");
        Assert.True(first.ExitCode == 0, first.ToString());
        foreach (var role in Roles.Select(r => string.Format(r, "miam")))
        {
            var read = (await AwsCli.Run(moto.Url, "iam", "get-role", "--role-name", role))!["Role"]!;
            Assert.Contains(read["Tags"]!.AsArray(), t => (string?)t!["Key"] == "ManagedBy" && (string?)t["Value"] == "Ops");
            var names = (await AwsCli.Run(moto.Url, "iam", "list-role-policies", "--role-name", role))!["PolicyNames"]!.AsArray().Select(n => (string?)n).ToList();
            foreach (var name in names)
            {
                var document = (await AwsCli.Run(moto.Url, "iam", "get-role-policy", "--role-name", role, "--policy-name", name!))!["PolicyDocument"]!;
                foreach (var statement in document["Statement"]!.AsArray())
                {
                    var resources = statement!["Resource"] is JsonArray a ? a.Select(r => (string)r!).ToList() : [(string)statement["Resource"]!];
                    Assert.All(resources, r => Assert.True(r == "*" || r.Contains("miam") || r.Contains("iotile-cloud") || r.Contains("elasticbeanstalk-us-east-1")
                        || r.Contains("::parameter/aws/service/") || r.Contains("::solutionstack/") || r.Contains("::platform/") || r.Contains("parametergroup:default.")
                        || r.Contains("stack/awseb-") || r.Contains("oidc-provider/"), $"{role}: {r}"));
                }
            }
        }
        var ecsInstance = (await AwsCli.Run(moto.Url, "iam", "list-attached-role-policies", "--role-name", "iotile-ecs-instance-miam"))!["AttachedPolicies"]!;
        Assert.Equal("AmazonEC2ContainerServiceforEC2Role", (string?)ecsInstance[0]!["PolicyName"]);

        var second = await Run("create-iam", "--stage", "miam");
        Assert.True(second.ExitCode == 0, second.ToString());
        foreach (var role in Roles.Select(r => string.Format(r, "miam"))) Assert.Contains($"iam role {role}: up to date", second.Out);
        Assert.DoesNotContain(": create (", second.Out);
        Assert.DoesNotContain(" → ", second.Out);
    }

    [Fact]
    public async Task Up_dry_run_on_moto_lists_every_role_and_policy_it_would_create()
    {
        // create (the web tier) is skipped: moto has no DescribeApplicationVersions (tests/Ops.Aws.Tests/moto-gaps.txt).
        var run = await Run("up", "--stage", "miamdry", "--dry-run", "--skip", "create");
        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var role in Roles.Select(r => string.Format(r, "miamdry")))
            Assert.Contains($"would change iam role {role}: create (", run.Out);
        Assert.Contains("would change iam instance profile iotile-web-miamdry: create", run.Out);
        Assert.Contains("managed AWSElasticBeanstalkEnhancedHealth, AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy", run.Out);
        Assert.DoesNotContain((await AwsCli.Run(moto.Url, "iam", "list-roles"))!["Roles"]!.AsArray(), r => ((string?)r!["RoleName"])!.EndsWith("-miamdry"));
    }
}
