using Ops.LocalCloud.Services;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Tests.Conformance;

/// <summary>
/// Every operation LocalCloud serves has a row in <see cref="ConformanceTable"/> whose response (or AWS error) is asserted,
/// called through an independent client (the aws CLI); operations without one yet are listed in conformance-pending.txt,
/// which may only shrink.
/// </summary>
public class ConformanceTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    static readonly string PendingFile = FindPendingFile();

    static string FindPendingFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ops.sln"))) return Path.Combine(dir.FullName, "tests/Ops.LocalCloud.Tests/Conformance/conformance-pending.txt");
        throw new InvalidOperationException("Ops.sln not found above the tests.");
    }

    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (var row in ConformanceTable.All) data.Add(row.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Operation_answers_as_AWS_does(string name)
    {
        var row = ConformanceTable.All.Single(r => r.ToString() == name);
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

    [Fact]
    public void Every_row_asserts_something()
    {
        var loose = ConformanceTable.All.Where(r => (r.Expect == null) == (r.ExpectError == null)).Select(r => r.ToString()).ToList();
        Assert.True(loose.Count == 0, "Rows need exactly one of Expect or ExpectError: " + string.Join(", ", loose));
    }

    [Fact]
    public void Every_served_operation_has_an_asserted_row_or_is_listed_as_pending()
    {
        var served = ServiceCatalog.Create(new StateStore(null), new LocalCloudOptions())
            .SelectMany(s => s.Model.Operations.Keys.Select(op => $"{s.Name} {op}")).ToHashSet();
        var rows = ConformanceTable.All.Select(r => $"{r.Service} {r.Operation}").ToHashSet();
        var pending = File.ReadAllLines(PendingFile).Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToHashSet();

        var problems = served.Except(rows).Except(pending).Order().Select(op => $"{op}: no conformance row asserts its response")
            .Concat(pending.Intersect(rows).Order().Select(op => $"{op}: has a row now, remove it from conformance-pending.txt"))
            .Concat(rows.Union(pending).Except(served).Order().Select(op => $"{op}: not an operation LocalCloud serves"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
