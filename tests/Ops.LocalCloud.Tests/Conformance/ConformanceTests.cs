using Ops.LocalCloud.Services;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Tests.Conformance;

/// <summary>
/// Every operation LocalCloud serves has a row in <see cref="ConformanceTable"/> whose response (or AWS error) is asserted,
/// called through an independent client (the aws CLI). The rows are split in two classes, each with its own server,
/// so the two halves run side by side.
/// </summary>
public abstract class ConformanceTests(LocalCloudFixture cloud)
{
    /// <summary>The services whose rows this class runs.</summary>
    protected abstract IReadOnlySet<string> Services { get; }

    protected static TheoryData<string> RowsOf(params string[] services)
    {
        var data = new TheoryData<string>();
        foreach (var row in ConformanceTable.All.Where(r => services.Contains(r.Service))) data.Add(row.ToString());
        return data;
    }

    protected async Task Run(string name)
    {
        var row = ConformanceTable.All.Single(r => r.ToString() == name);
        Assert.Contains(row.Service, Services);
        var context = new ConformanceContext(cloud.Url);
        await row.Arrange(context);
        var args = row.Call(context);
        var (code, json, error) = await AwsCli.Try(cloud.Url, args);

        var served = cloud.Server.Requests.Entries.LastOrDefault(e => e.Service == row.Service && e.Operation == row.Operation);
        Assert.True(served != null, $"aws {string.Join(' ', args)} did not reach {row.Service} {row.Operation}.");
        if (row.ExpectError is { } expected)
        {
            Assert.True(code != 0, $"aws {string.Join(' ', args)} succeeded; expected {expected}.");
            Assert.Contains($"({expected})", error);
            return;
        }
        Assert.True(code == 0, $"aws {string.Join(' ', args)} exited {code}: {error}");
        await row.Expect!(context, json);
    }
}

/// <summary>Compute and deployment services: ECS, EC2, ECR, Elastic Beanstalk.</summary>
public sealed class ComputeConformanceTests(LocalCloudFixture cloud) : ConformanceTests(cloud), IClassFixture<LocalCloudFixture>
{
    static readonly string[] Names = ["ecs", "ec2", "ecr", "elasticbeanstalk"];
    protected override IReadOnlySet<string> Services => Names.ToHashSet();
    public static TheoryData<string> Rows() => RowsOf(Names);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Operation_answers_as_AWS_does(string name) => Run(name);
}

/// <summary>Data, messaging and the rest: RDS, Redshift, ElastiCache, DynamoDB, SNS, SQS, SSM, STS, IAM, CloudFront, Firehose, Logs.</summary>
public sealed class DataConformanceTests(LocalCloudFixture cloud) : ConformanceTests(cloud), IClassFixture<LocalCloudFixture>
{
    static readonly string[] Names = ["rds", "redshift", "elasticache", "dynamodb", "sns", "sqs", "ssm", "sts", "iam", "cloudfront", "firehose", "logs"];
    protected override IReadOnlySet<string> Services => Names.ToHashSet();
    public static TheoryData<string> Rows() => RowsOf(Names);

    [Theory]
    [MemberData(nameof(Rows))]
    public Task Operation_answers_as_AWS_does(string name) => Run(name);
}

/// <summary>The guard: no operation without an asserted row, no row without an assertion, no row left out of the run.</summary>
public sealed class ConformanceGuardTests
{
    [Fact]
    public void Every_row_asserts_something()
    {
        var loose = ConformanceTable.All.Where(r => (r.Expect == null) == (r.ExpectError == null)).Select(r => r.ToString()).ToList();
        Assert.True(loose.Count == 0, "Rows need exactly one of Expect or ExpectError: " + string.Join(", ", loose));
    }

    [Fact]
    public void Every_served_operation_has_a_row_that_asserts_its_response()
    {
        var served = ServiceCatalog.Create(new StateStore(null), new LocalCloudOptions(), new Ops.LocalCloud.Services.Iam.IamService(new StateStore(null)),
            new Ops.LocalCloud.Iam.RoleSessions(TimeProvider.System))
            .SelectMany(s => s.Model.Operations.Keys.Select(op => $"{s.Name} {op}")).ToHashSet();
        var rows = ConformanceTable.All.Where(r => r.Expect != null).Select(r => $"{r.Service} {r.Operation}").ToHashSet();
        var problems = served.Except(rows).Order().Select(op => $"{op}: no conformance row asserts its response")
            .Concat(ConformanceTable.All.Select(r => $"{r.Service} {r.Operation}").Except(served).Distinct().Order().Select(op => $"{op}: not an operation LocalCloud serves"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_row_runs_in_one_of_the_conformance_classes()
    {
        var run = ((IEnumerable<object[]>)ComputeConformanceTests.Rows()).Concat(DataConformanceTests.Rows()).Select(r => (string)r[0]).ToList();
        Assert.Equal(ConformanceTable.All.Select(r => r.ToString()).Order(), run.Order());
    }
}
