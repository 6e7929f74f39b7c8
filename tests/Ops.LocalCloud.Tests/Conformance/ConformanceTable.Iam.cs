namespace Ops.LocalCloud.Tests.Conformance;

public static partial class ConformanceTable
{
    const string TaskTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    const string AccountTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";

    const string EcsInstancePolicy = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";

    static string QueueStatement(ConformanceContext x) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"arn:aws:sqs:us-east-1:123456789012:{{x.Name}}-work"}]}""";

    static Task CreateRole(ConformanceContext x) => x.Aws("iam", "create-role", "--role-name", x.Name, "--assume-role-policy-document", TaskTrust);

    static async Task CreateRoleWithPolicy(ConformanceContext x)
    {
        await CreateRole(x);
        await x.Aws("iam", "put-role-policy", "--role-name", x.Name, "--policy-name", "queues", "--policy-document", QueueStatement(x));
    }

    static async Task CreateRoleWithManagedPolicy(ConformanceContext x)
    {
        await CreateRole(x);
        await x.Aws("iam", "attach-role-policy", "--role-name", x.Name, "--policy-arn", EcsInstancePolicy);
    }

    static Task CreateProfile(ConformanceContext x) => x.Aws("iam", "create-instance-profile", "--instance-profile-name", x.Name);

    static async Task CreateProfileWithRole(ConformanceContext x)
    {
        await CreateRole(x);
        await CreateProfile(x);
        await x.Aws("iam", "add-role-to-instance-profile", "--instance-profile-name", x.Name, "--role-name", x.Name);
    }

    static string OidcUrl(ConformanceContext x) => $"https://{x.Name}.actions.githubusercontent.com";

    static Task CreateOidc(ConformanceContext x) =>
        x.Aws("iam", "create-open-id-connect-provider", "--url", OidcUrl(x), "--client-id-list", "sts.amazonaws.com", "--thumbprint-list", "6938fd4d98bab03faadb97b34396831e3780aea1");

    static ConformanceRow[] Iam =>
    [
        Row("iam", "CreateRole", x => ["iam", "create-role", "--role-name", x.Name, "--assume-role-policy-document", TaskTrust, "--tags", "Key=Stage,Value=dev"], (x, r) =>
        {
            var role = r!["Role"]!;
            Assert.Equal(($"arn:aws:iam::{LocalAccount}:role/{x.Name}", "ecs-tasks.amazonaws.com"),
                ((string?)role["Arn"], (string?)role["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]));
            Assert.StartsWith("AROA", (string?)role["RoleId"]);
            return Done;
        }),
        Error("iam", "CreateRole", x => ["iam", "create-role", "--role-name", x.Name, "--assume-role-policy-document", TaskTrust], "EntityAlreadyExists", CreateRole),
        Error("iam", "CreateRole", x => ["iam", "create-role", "--role-name", x.Name, "--assume-role-policy-document", """{"Statement":[{"Effect":"Maybe","Action":"sts:AssumeRole"}]}"""],
            "MalformedPolicyDocument"),
        Row("iam", "GetRole", x => ["iam", "get-role", "--role-name", x.Name], (x, r) =>
        {
            Assert.Equal((x.Name, "/", 3600), ((string?)r!["Role"]!["RoleName"], (string?)r["Role"]!["Path"], (int?)r["Role"]!["MaxSessionDuration"]));
            return Done;
        }, CreateRole),
        Error("iam", "GetRole", x => ["iam", "get-role", "--role-name", x.Name], "NoSuchEntity"),
        Row("iam", "UpdateAssumeRolePolicy", x => ["iam", "update-assume-role-policy", "--role-name", x.Name, "--policy-document", AccountTrust], async (x, _) =>
            Assert.Equal("arn:aws:iam::123456789012:root",
                (string?)(await x.Aws("iam", "get-role", "--role-name", x.Name))!["Role"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["AWS"]), CreateRole),
        Row("iam", "TagRole", x => ["iam", "tag-role", "--role-name", x.Name, "--tags", "Key=ManagedBy,Value=ops"], async (x, _) =>
            Assert.Contains(("ManagedBy", "ops"), (await x.Aws("iam", "get-role", "--role-name", x.Name))!["Role"]!["Tags"]!.AsArray()
                .Select(t => ((string?)t!["Key"], (string?)t["Value"]))), CreateRole),
        Row("iam", "DeleteRole", x => ["iam", "delete-role", "--role-name", x.Name], async (x, _) =>
            Assert.Contains("(NoSuchEntity)", (await AwsCli.Try(x.Endpoint, ["iam", "get-role", "--role-name", x.Name])).Error), CreateRole),
        Error("iam", "DeleteRole", x => ["iam", "delete-role", "--role-name", x.Name], "DeleteConflict", CreateRoleWithPolicy),
        Row("iam", "PutRolePolicy", x => ["iam", "put-role-policy", "--role-name", x.Name, "--policy-name", "queues", "--policy-document", QueueStatement(x)], async (x, _) =>
            Assert.Equal(["queues"], (await x.Aws("iam", "list-role-policies", "--role-name", x.Name))!["PolicyNames"]!.AsArray().Select(n => (string?)n)), CreateRole),
        Error("iam", "PutRolePolicy", x => ["iam", "put-role-policy", "--role-name", x.Name, "--policy-name", "bad", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs-ReceiveMessage","Resource":"*"}]}"""], "MalformedPolicyDocument", CreateRole),
        Row("iam", "GetRolePolicy", x => ["iam", "get-role-policy", "--role-name", x.Name, "--policy-name", "queues"], (x, r) =>
        {
            Assert.Equal($"arn:aws:sqs:us-east-1:123456789012:{x.Name}-work", (string?)r!["PolicyDocument"]!["Statement"]![0]!["Resource"]);
            return Done;
        }, CreateRoleWithPolicy),
        Error("iam", "GetRolePolicy", x => ["iam", "get-role-policy", "--role-name", x.Name, "--policy-name", "nope"], "NoSuchEntity", CreateRole),
        Row("iam", "ListRolePolicies", x => ["iam", "list-role-policies", "--role-name", x.Name], (x, r) =>
        {
            Assert.Equal(["queues"], r!["PolicyNames"]!.AsArray().Select(n => (string?)n));
            return Done;
        }, CreateRoleWithPolicy),
        Row("iam", "DeleteRolePolicy", x => ["iam", "delete-role-policy", "--role-name", x.Name, "--policy-name", "queues"], async (x, _) =>
            Assert.Empty((await x.Aws("iam", "list-role-policies", "--role-name", x.Name))!["PolicyNames"]!.AsArray()), CreateRoleWithPolicy),
        Row("iam", "AttachRolePolicy", x => ["iam", "attach-role-policy", "--role-name", x.Name, "--policy-arn", EcsInstancePolicy], async (x, _) =>
            Assert.Equal([EcsInstancePolicy], Members((await x.Aws("iam", "list-attached-role-policies", "--role-name", x.Name))!["AttachedPolicies"], "PolicyArn")), CreateRole),
        Error("iam", "AttachRolePolicy", x => ["iam", "attach-role-policy", "--role-name", x.Name, "--policy-arn", "arn:aws:iam::aws:policy/NoSuchPolicy"], "NoSuchEntity", CreateRole),
        Row("iam", "DetachRolePolicy", x => ["iam", "detach-role-policy", "--role-name", x.Name, "--policy-arn", EcsInstancePolicy], async (x, _) =>
            Assert.Empty((await x.Aws("iam", "list-attached-role-policies", "--role-name", x.Name))!["AttachedPolicies"]!.AsArray()), CreateRoleWithManagedPolicy),
        Row("iam", "ListAttachedRolePolicies", x => ["iam", "list-attached-role-policies", "--role-name", x.Name], (x, r) =>
        {
            Assert.Equal(["AmazonEC2ContainerServiceforEC2Role"], Members(r!["AttachedPolicies"], "PolicyName"));
            return Done;
        }, CreateRoleWithManagedPolicy),
        Row("iam", "CreateInstanceProfile", x => ["iam", "create-instance-profile", "--instance-profile-name", x.Name], (x, r) =>
        {
            Assert.Equal($"arn:aws:iam::{LocalAccount}:instance-profile/{x.Name}", (string?)r!["InstanceProfile"]!["Arn"]);
            return Done;
        }),
        Error("iam", "CreateInstanceProfile", x => ["iam", "create-instance-profile", "--instance-profile-name", x.Name], "EntityAlreadyExists", CreateProfile),
        Row("iam", "GetInstanceProfile", x => ["iam", "get-instance-profile", "--instance-profile-name", x.Name], (x, r) =>
        {
            Assert.Equal([x.Name], Members(r!["InstanceProfile"]!["Roles"], "RoleName"));
            return Done;
        }, CreateProfileWithRole),
        Error("iam", "GetInstanceProfile", x => ["iam", "get-instance-profile", "--instance-profile-name", x.Name], "NoSuchEntity"),
        Row("iam", "AddRoleToInstanceProfile", x => ["iam", "add-role-to-instance-profile", "--instance-profile-name", x.Name, "--role-name", x.Name], async (x, _) =>
            Assert.Equal([x.Name], Members((await x.Aws("iam", "get-instance-profile", "--instance-profile-name", x.Name))!["InstanceProfile"]!["Roles"], "RoleName")),
            async x => { await CreateRole(x); await CreateProfile(x); }),
        Error("iam", "AddRoleToInstanceProfile", x => ["iam", "add-role-to-instance-profile", "--instance-profile-name", x.Name, "--role-name", x.Name], "LimitExceeded", CreateProfileWithRole),
        Row("iam", "RemoveRoleFromInstanceProfile", x => ["iam", "remove-role-from-instance-profile", "--instance-profile-name", x.Name, "--role-name", x.Name], async (x, _) =>
            Assert.Empty((await x.Aws("iam", "get-instance-profile", "--instance-profile-name", x.Name))!["InstanceProfile"]!["Roles"]!.AsArray()), CreateProfileWithRole),
        Row("iam", "DeleteInstanceProfile", x => ["iam", "delete-instance-profile", "--instance-profile-name", x.Name], async (x, _) =>
            Assert.Contains("(NoSuchEntity)", (await AwsCli.Try(x.Endpoint, ["iam", "get-instance-profile", "--instance-profile-name", x.Name])).Error), CreateProfile),
        Error("iam", "DeleteInstanceProfile", x => ["iam", "delete-instance-profile", "--instance-profile-name", x.Name], "DeleteConflict", CreateProfileWithRole),
        Row("iam", "CreateOpenIDConnectProvider", x => ["iam", "create-open-id-connect-provider", "--url", OidcUrl(x), "--client-id-list", "sts.amazonaws.com",
            "--thumbprint-list", "6938fd4d98bab03faadb97b34396831e3780aea1"], (x, r) =>
        {
            Assert.Equal($"arn:aws:iam::{LocalAccount}:oidc-provider/{x.Name}.actions.githubusercontent.com", (string?)r!["OpenIDConnectProviderArn"]);
            return Done;
        }),
        Error("iam", "CreateOpenIDConnectProvider", x => ["iam", "create-open-id-connect-provider", "--url", OidcUrl(x), "--client-id-list", "sts.amazonaws.com",
            "--thumbprint-list", "6938fd4d98bab03faadb97b34396831e3780aea1"], "EntityAlreadyExists", CreateOidc),
        Row("iam", "GetOpenIDConnectProvider", x => ["iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn",
            $"arn:aws:iam::{LocalAccount}:oidc-provider/{x.Name}.actions.githubusercontent.com"], (x, r) =>
        {
            Assert.Equal(($"{x.Name}.actions.githubusercontent.com", "sts.amazonaws.com"), ((string?)r!["Url"], (string?)r["ClientIDList"]![0]));
            return Done;
        }, CreateOidc),
        Row("iam", "ListOpenIDConnectProviders", _ => ["iam", "list-open-id-connect-providers"], (x, r) =>
        {
            Assert.Contains($"arn:aws:iam::{LocalAccount}:oidc-provider/{x.Name}.actions.githubusercontent.com", Members(r!["OpenIDConnectProviderList"], "Arn"));
            return Done;
        }, CreateOidc),
        Row("iam", "SimulatePrincipalPolicy", x => ["iam", "simulate-principal-policy", "--policy-source-arn", $"arn:aws:iam::{LocalAccount}:role/{x.Name}",
            "--action-names", "sqs:ReceiveMessage", "sqs:SendMessage", "--resource-arns", $"arn:aws:sqs:us-east-1:123456789012:{x.Name}-work"], (x, r) =>
        {
            var results = r!["EvaluationResults"]!.AsArray().Select(e => ((string?)e!["EvalActionName"], (string?)e["EvalDecision"])).ToList();
            Assert.Equal([("sqs:ReceiveMessage", "allowed"), ("sqs:SendMessage", "implicitDeny")], results);
            Assert.Equal(("queues", "role"), ((string?)r["EvaluationResults"]![0]!["MatchedStatements"]![0]!["SourcePolicyId"], (string?)r["EvaluationResults"]![0]!["MatchedStatements"]![0]!["SourcePolicyType"]));
            return Done;
        }, CreateRoleWithPolicy),
        Error("iam", "SimulatePrincipalPolicy", x => ["iam", "simulate-principal-policy", "--policy-source-arn", $"arn:aws:iam::{LocalAccount}:role/{x.Name}",
            "--action-names", "sqs:ReceiveMessage"], "NoSuchEntity"),
    ];

    static ConformanceRow[] StsAssume =>
    [
        Row("sts", "AssumeRole", x => ["sts", "assume-role", "--role-arn", $"arn:aws:iam::{LocalAccount}:role/{x.Name}", "--role-session-name", "conformance"], (x, r) =>
        {
            Assert.StartsWith("ASIA", (string?)r!["Credentials"]!["AccessKeyId"]);
            Assert.Equal($"arn:aws:sts::{LocalAccount}:assumed-role/{x.Name}/conformance", (string?)r["AssumedRoleUser"]!["Arn"]);
            return Done;
        }, async x => await x.Aws("iam", "create-role", "--role-name", x.Name, "--assume-role-policy-document", AccountTrust)),
        Error("sts", "AssumeRole", x => ["sts", "assume-role", "--role-arn", $"arn:aws:iam::{LocalAccount}:role/{x.Name}", "--role-session-name", "conformance"], "AccessDenied", CreateRole),
    ];
}
