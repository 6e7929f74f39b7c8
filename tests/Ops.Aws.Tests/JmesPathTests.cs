using System.Text.Json.Nodes;
using Ops.Aws.Waiters;

namespace Ops.Aws.Tests;

/// <summary>Our JMESPath subset against the reference Python implementation, on the expressions AWS waiters use.</summary>
public class JmesPathTests
{
    static readonly string Services = """
        {"services":[{"status":"ACTIVE","runningCount":2,"desiredCount":2,"deployments":[{"status":"PRIMARY"}]},
                     {"status":"ACTIVE","runningCount":1,"desiredCount":2,"deployments":[{"status":"PRIMARY"},{"status":"ACTIVE"}]}],
         "failures":[{"arn":"x","reason":"MISSING"}],
         "Reservations":[{"Instances":[{"State":{"Name":"running"}},{"State":{"Name":"pending"}}]},{"Instances":[{"State":{"Name":"running"}}]}],
         "DBInstances":[],"Nested":{"a":{"b":[1,2,3]}},"name":"x","flag":false,"zero":0,"list":[[1,2],[3],4]}
        """;

    static readonly string[] Expressions =
    [
        "failures[].reason",
        "services[].status",
        "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`",
        "services[?runningCount == desiredCount].status",
        "services[?runningCount < desiredCount] | length(@)",
        "Reservations[].Instances[].State.Name",
        "length(DBInstances) == `0`",
        "DBInstances[].DBInstanceStatus",
        "Nested.a.b[0]",
        "Nested.a.b[-1]",
        "Nested.*.b",
        "services[*].deployments[0].status",
        "list[]",
        "name == 'x' || flag",
        "flag && name",
        "!zero",
        "contains(services[].status, 'ACTIVE')",
        "missing.field",
        "\"name\"",
        "services[1].runningCount >= `1`",
    ];

    [Fact]
    public async Task Results_match_the_reference_implementation()
    {
        var data = JsonNode.Parse(Services);
        var cases = new JsonArray(Expressions.Select(e => (JsonNode)new JsonObject { ["expression"] = e, ["data"] = data!.DeepClone() }).ToArray());
        var expected = (await Botocore.Run(Botocore.JmesPathScript, cases)).AsArray();
        for (var i = 0; i < Expressions.Length; i++)
        {
            var ours = JmesPath.Evaluate(Expressions[i], data);
            Assert.True(JsonNode.DeepEquals(expected[i], ours), $"{Expressions[i]}: reference {expected[i]?.ToJsonString() ?? "null"}, ours {ours?.ToJsonString() ?? "null"}");
        }
    }

    [Theory]
    [InlineData("services[")]
    [InlineData("a.`1")]
    [InlineData("a &")]
    public void Malformed_expressions_are_rejected_with_the_expression_named(string expression)
    {
        var e = Assert.Throws<FormatException>(() => JmesPath.Evaluate(expression, new JsonObject()));
        Assert.Contains(expression, e.Message);
    }

    [Fact]
    public void Path_matchers_follow_the_waiter_rules()
    {
        var running = JsonNode.Parse("""["RUNNING","RUNNING"]""");
        var mixed = JsonNode.Parse("""["RUNNING","STOPPED"]""");
        var expected = JsonValue.Create("RUNNING");
        Assert.True(Waiter.PathMatches(WaiterMatcher.PathAll, running, expected));
        Assert.False(Waiter.PathMatches(WaiterMatcher.PathAll, mixed, expected));
        Assert.False(Waiter.PathMatches(WaiterMatcher.PathAll, new JsonArray(), expected));   // pathAll on [] never matches
        Assert.True(Waiter.PathMatches(WaiterMatcher.PathAny, mixed, JsonValue.Create("STOPPED")));
        Assert.True(Waiter.PathMatches(WaiterMatcher.Path, JsonValue.Create(true), JsonValue.Create(true)));
    }

    [Fact]
    public void Backoff_stays_between_the_minimum_and_the_cap_and_grows()
    {
        var min = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromSeconds(20);
        for (var attempt = 1; attempt < 12; attempt++)
        {
            var ceiling = Math.Min(max.TotalSeconds, Math.Pow(2, attempt - 1));
            for (var i = 0; i < 50; i++)
            {
                var d = Waiter.Delay(attempt, min, max);
                Assert.InRange(d.TotalSeconds, 1, ceiling + 1e-9);
            }
        }
        Assert.Equal(min, Waiter.Delay(1, min, max));
    }
}
