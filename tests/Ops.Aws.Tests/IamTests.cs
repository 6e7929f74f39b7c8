using System.Text.Json.Nodes;
using Ops.Aws.Iam;
using AssumeRoleRequest = Ops.Aws.Sts.AssumeRoleRequest;
using StsClient = Ops.Aws.Sts.StsClient;

namespace Ops.Aws.Tests;

/// <summary>IAM (awsQuery, global) and STS AssumeRole: roles, inline and managed policies, instance profiles, OIDC providers.</summary>
public abstract class IamTests(ITestCloud cloud)
{
    readonly IamClient _iam = new(cloud.Connection);

    const string EcsTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    const string Ec2Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    static string QueuePolicy(string queue) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"arn:aws:sqs:us-east-1:123456789012:{{queue}}"}]}""";

    /// <summary>IAM answers policy documents URL-encoded, as AWS does.</summary>
    static JsonNode Document(string? encoded) => JsonNode.Parse(Uri.UnescapeDataString(encoded!))!;

    [Fact]
    public async Task Roles_carry_trust_inline_and_managed_policies_and_tags()
    {
        var name = MotoServer.Unique("ops-dev-worker");
        var created = await _iam.CreateRoleAsync(new CreateRoleRequest
        {
            RoleName = name,
            AssumeRolePolicyDocument = EcsTrust,
            Description = "worker task role",
            Tags = [new Tag { Key = "Stage", Value = "dev" }],
        });
        Assert.Equal($"arn:aws:iam::123456789012:role/{name}", created.Role!.Arn);
        await AwsAssert.ErrorCode("EntityAlreadyExists", () => _iam.CreateRoleAsync(new CreateRoleRequest { RoleName = name, AssumeRolePolicyDocument = EcsTrust }));

        var role = (await _iam.GetRoleAsync(new GetRoleRequest { RoleName = name })).Role!;
        Assert.Equal("ecs-tasks.amazonaws.com", (string?)Document(role.AssumeRolePolicyDocument)["Statement"]![0]!["Principal"]!["Service"]);
        Assert.Contains(role.Tags!, t => t is { Key: "Stage", Value: "dev" });

        await _iam.UpdateAssumeRolePolicyAsync(new UpdateAssumeRolePolicyRequest { RoleName = name, PolicyDocument = Ec2Trust });
        await _iam.TagRoleAsync(new TagRoleRequest { RoleName = name, Tags = [new Tag { Key = "ManagedBy", Value = "ops" }] });
        role = (await _iam.GetRoleAsync(new GetRoleRequest { RoleName = name })).Role!;
        Assert.Equal("ec2.amazonaws.com", (string?)Document(role.AssumeRolePolicyDocument)["Statement"]![0]!["Principal"]!["Service"]);
        Assert.Contains(role.Tags!, t => t is { Key: "ManagedBy", Value: "ops" });

        await _iam.PutRolePolicyAsync(new PutRolePolicyRequest { RoleName = name, PolicyName = "queues", PolicyDocument = QueuePolicy("dev-work") });
        Assert.Equal(["queues"], (await _iam.ListRolePoliciesAsync(new ListRolePoliciesRequest { RoleName = name })).PolicyNames!);
        var inline = await _iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = name, PolicyName = "queues" });
        Assert.Equal("arn:aws:sqs:us-east-1:123456789012:dev-work", (string?)Document(inline.PolicyDocument)["Statement"]![0]!["Resource"]);
        await AwsAssert.ErrorCode("NoSuchEntity", () => _iam.GetRolePolicyAsync(new GetRolePolicyRequest { RoleName = name, PolicyName = "nope" }));

        const string ecsInstance = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";
        await _iam.AttachRolePolicyAsync(new AttachRolePolicyRequest { RoleName = name, PolicyArn = ecsInstance });
        var attached = (await _iam.ListAttachedRolePoliciesAsync(new ListAttachedRolePoliciesRequest { RoleName = name })).AttachedPolicies!;
        Assert.Equal(("AmazonEC2ContainerServiceforEC2Role", ecsInstance), (Assert.Single(attached).PolicyName, attached[0].PolicyArn));

        await AwsAssert.ErrorCode("DeleteConflict", () => _iam.DeleteRoleAsync(new DeleteRoleRequest { RoleName = name }));
        await _iam.DetachRolePolicyAsync(new DetachRolePolicyRequest { RoleName = name, PolicyArn = ecsInstance });
        await _iam.DeleteRolePolicyAsync(new DeleteRolePolicyRequest { RoleName = name, PolicyName = "queues" });
        await _iam.DeleteRoleAsync(new DeleteRoleRequest { RoleName = name });
        await AwsAssert.ErrorCode("NoSuchEntity", () => _iam.GetRoleAsync(new GetRoleRequest { RoleName = name }));
    }

    [Fact]
    public async Task An_instance_profile_holds_one_role()
    {
        var name = MotoServer.Unique("ops-dev-web");
        await _iam.CreateRoleAsync(new CreateRoleRequest { RoleName = name, AssumeRolePolicyDocument = Ec2Trust });
        var profile = (await _iam.CreateInstanceProfileAsync(new CreateInstanceProfileRequest { InstanceProfileName = name })).InstanceProfile!;
        Assert.Equal($"arn:aws:iam::123456789012:instance-profile/{name}", profile.Arn);
        await _iam.AddRoleToInstanceProfileAsync(new AddRoleToInstanceProfileRequest { InstanceProfileName = name, RoleName = name });
        var read = (await _iam.GetInstanceProfileAsync(new GetInstanceProfileRequest { InstanceProfileName = name })).InstanceProfile!;
        Assert.Equal(name, Assert.Single(read.Roles!).RoleName);

        await _iam.RemoveRoleFromInstanceProfileAsync(new RemoveRoleFromInstanceProfileRequest { InstanceProfileName = name, RoleName = name });
        await _iam.DeleteInstanceProfileAsync(new DeleteInstanceProfileRequest { InstanceProfileName = name });
        await AwsAssert.ErrorCode("NoSuchEntity", () => _iam.GetInstanceProfileAsync(new GetInstanceProfileRequest { InstanceProfileName = name }));
        await _iam.DeleteRoleAsync(new DeleteRoleRequest { RoleName = name });
    }

    [Fact]
    public async Task OpenID_Connect_providers_are_listed_and_read()
    {
        var url = $"https://{MotoServer.Unique("token")}.actions.githubusercontent.com";
        var arn = (await _iam.CreateOpenIDConnectProviderAsync(new CreateOpenIDConnectProviderRequest
        {
            Url = url,
            ClientIDList = ["sts.amazonaws.com"],
            ThumbprintList = ["6938fd4d98bab03faadb97b34396831e3780aea1"],
        })).OpenIDConnectProviderArn!;
        Assert.Equal($"arn:aws:iam::123456789012:oidc-provider/{url["https://".Length..]}", arn);
        Assert.Contains((await _iam.ListOpenIDConnectProvidersAsync(new ListOpenIDConnectProvidersRequest())).OpenIDConnectProviderList!, p => p.Arn == arn);
        var provider = await _iam.GetOpenIDConnectProviderAsync(new GetOpenIDConnectProviderRequest { OpenIDConnectProviderArn = arn });
        Assert.Equal(["sts.amazonaws.com"], provider.ClientIDList!);
        await AwsAssert.ErrorCode("EntityAlreadyExists", () => _iam.CreateOpenIDConnectProviderAsync(new CreateOpenIDConnectProviderRequest
        {
            Url = url,
            ClientIDList = ["sts.amazonaws.com"],
            ThumbprintList = ["6938fd4d98bab03faadb97b34396831e3780aea1"],
        }));
    }

    [Fact]
    public async Task AssumeRole_gives_temporary_credentials_of_the_role()
    {
        var name = MotoServer.Unique("ops-dev-deploy");
        var role = (await _iam.CreateRoleAsync(new CreateRoleRequest
        {
            RoleName = name,
            AssumeRolePolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""",
        })).Role!;
        var assumed = await new StsClient(cloud.Connection).AssumeRoleAsync(new AssumeRoleRequest { RoleArn = role.Arn, RoleSessionName = "deploy-1",
            DurationSeconds = 900 });
        Assert.StartsWith("ASIA", assumed.Credentials!.AccessKeyId);
        Assert.False(string.IsNullOrEmpty(assumed.Credentials.SessionToken));
        Assert.Equal($"arn:aws:sts::123456789012:assumed-role/{name}/deploy-1", assumed.AssumedRoleUser!.Arn);
    }
}

[Collection(MotoCollection.Name)]
public sealed class IamTestsOnMoto(MotoServer cloud) : IamTests(cloud);

[Collection(LocalCloudCollection.Name)]
public sealed class IamTestsOnLocalCloud(LocalCloudTestServer cloud) : IamTests(cloud);
