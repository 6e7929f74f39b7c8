using Ops.Stack.Lifecycle;
using Ops.Stack.Model;

namespace Ops.Stack.Tests;

/// <summary>The refusals of destroy, teardown and drill, decided from the stack and the flags alone (the CLI tests run them end to end).</summary>
public sealed class StageGuardsTests
{
    static StageStack Stage(string name, bool @protected) => StackDefaults.For(name) with { Protected = @protected };

    [Theory]
    // dry runs are never refused, even on a protected stage with nothing confirmed
    [InlineData("prod", true, true, false, false, null, null)]
    [InlineData("qa", false, true, false, false, null, null)]
    // a protected stage needs --allow-prod before anything else
    [InlineData("prod", true, false, false, true, "prod", "destroy refuses stage prod: it is protected")]
    [InlineData("prod", true, false, true, true, "prod", null)]
    // every stage needs --destroy-data, then --confirm with its own name
    [InlineData("qa", false, false, false, false, "qa", "destroy deletes every data store of stage qa; pass --destroy-data --confirm qa")]
    [InlineData("qa", false, false, false, true, null, "destroy needs --confirm qa: the stage's name again")]
    [InlineData("qa", false, false, false, true, "dev", "--confirm 'dev' does not match --stage qa; pass --confirm qa to destroy stage qa.")]
    [InlineData("qa", false, false, false, true, "QA", "--confirm 'QA' does not match")]
    [InlineData("qa", false, false, false, true, "qa", null)]
    // --allow-prod does not stand in for the other two
    [InlineData("prod", true, false, true, false, "prod", "destroy deletes every data store of stage prod")]
    [InlineData("prod", true, false, true, true, null, "destroy needs --confirm prod")]
    public void Destroy_needs_allow_prod_on_a_protected_stage_then_destroy_data_then_the_stages_own_name(
        string stage, bool @protected, bool dryRun, bool allowProd, bool destroyData, string? confirm, string? refusal)
    {
        var said = StageGuards.Destroy(Stage(stage, @protected), dryRun, allowProd, destroyData, confirm);
        if (refusal == null) Assert.Null(said);
        else Assert.StartsWith(refusal, said);
    }

    [Theory]
    [InlineData("qa", false, false, null, null)] // an unprotected stage needs nothing
    [InlineData("qa", false, false, "other", null)]
    [InlineData("prod", true, true, null, null)] // a dry run stops nothing
    [InlineData("prod", true, false, "prod", null)]
    [InlineData("prod", true, false, null, "teardown of stage prod needs --confirm prod: the stage is protected (prod, a stage like: prod")]
    [InlineData("prod", true, false, "dev", "--confirm 'dev' does not match --stage prod; pass --confirm prod to teardown stage prod.")]
    public void Stopping_a_protected_stage_needs_its_name_again(string stage, bool @protected, bool dryRun, string? confirm, string? refusal)
    {
        var said = StageGuards.StopProtected("teardown", Stage(stage, @protected), dryRun, confirm);
        if (refusal == null) Assert.Null(said);
        else Assert.StartsWith(refusal, said);
    }

    [Fact]
    public void The_target_is_named_in_its_refusal() =>
        Assert.StartsWith("drill of stage prod needs --confirm prod", StageGuards.StopProtected("drill", Stage("prod", true), false, null));
}
