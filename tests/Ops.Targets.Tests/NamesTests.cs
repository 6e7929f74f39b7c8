using Ops.Targets.Parameters;
using Ops.Targets.Text;

namespace Ops.Targets.Tests;

public class NamesTests
{
    [Theory]
    [InlineData("CreateRdsInstance", "create-rds-instance")]
    [InlineData("AwsProfile", "aws-profile")]
    [InlineData("AWSProfile", "aws-profile")]
    [InlineData("EndpointUrl", "endpoint-url")]
    [InlineData("Ec2Instances", "ec2-instances")]
    [InlineData("Info", "info")]
    public void Members_are_shown_in_kebab_case(string member, string kebab) => Assert.Equal(kebab, Names.ToKebab(member));

    [Fact]
    public void Suggestions_prefer_prefixes_then_small_edit_distances()
    {
        string[] targets = ["deploy", "deploy-worker", "deploy-statics", "create-ecs", "terminate-ecs"];
        Assert.Equal("deploy", Names.Suggest("deplyo", targets)[0]);
        Assert.Equal("deploy-worker", Names.Suggest("deploy-wroker", targets)[0]);
        Assert.Equal("create-ecs", Names.Suggest("CreateEcs", targets)[0]);
        Assert.Empty(Names.Suggest("zzzzzz", targets));
    }

    [Theory]
    [InlineData("90s", true)]
    [InlineData("1h30m", true)]
    [InlineData("90", false)]
    [InlineData("5x", false)]
    [InlineData("5m junk", false)]
    [InlineData("-1:00:00", false)]
    public void Durations_need_a_unit(string text, bool ok) => Assert.Equal(ok, ValueConverter.TryParseDuration(text, out _));

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(250, "250ms")]
    [InlineData(5_400_000, "1h30m")]
    public void Durations_format_back_in_the_same_units(long ms, string text)
    {
        Assert.Equal(text, ValueConverter.FormatDuration(TimeSpan.FromMilliseconds(ms)));
        Assert.True(ValueConverter.TryParseDuration(text, out var back));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), back);
    }
}
