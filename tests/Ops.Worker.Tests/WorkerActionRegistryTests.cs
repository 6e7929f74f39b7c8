using System.Text.Json.Nodes;

namespace Ops.Worker.Tests;

public sealed class WorkerActionRegistryTests
{
    static readonly WorkerActionContext Context = new("dev", "m-1", 1, "task-1", null);

    static WorkMessage Message(string body) => WorkMessageParser.Parse(body, out _)!;

    [Fact]
    public void Messages_dispatch_by_module_and_class()
    {
        var registry = WorkerActionRegistry.BuiltIn(TimeProvider.System);
        Assert.Equal("Sleep", registry.Find(Message("""{"module":"ops.worker","class":"Sleep"}"""))!.Class);
        Assert.Equal("Fail", registry.Find(Message("""{"module":"ops.worker","class":"Fail"}"""))!.Class);
        Assert.Null(registry.Find(Message("""{"module":"ops.worker","class":"sleep"}""")));
        Assert.Null(registry.Find(Message("""{"module":"apps.sqsworker.worker","class":"Sleep"}""")));
        Assert.Equal(["ops.worker.Fail", "ops.worker.Sleep"], registry.Names);
    }

    [Fact]
    public void Two_handlers_for_one_name_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new WorkerActionRegistry([new Actions.FailAction(), new Actions.FailAction()]));
        Assert.Contains("ops.worker.Fail", e.Message);
    }

    [Fact]
    public async Task Sleep_succeeds_and_Fail_fails_with_its_message()
    {
        var registry = WorkerActionRegistry.BuiltIn(TimeProvider.System);
        await registry.Find(Message("""{"module":"ops.worker","class":"Sleep","arguments":{"ms":1}}"""))!
            .RunAsync(new JsonObject { ["ms"] = 1 }, Context, CancellationToken.None);
        var e = await Assert.ThrowsAsync<WorkerActionException>(() =>
            registry.Find(Message("""{"module":"ops.worker","class":"Fail"}"""))!.RunAsync(new JsonObject { ["message"] = "boom" }, Context, CancellationToken.None));
        Assert.Equal("boom", e.Message);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"ms":-1}""")]
    [InlineData("""{"ms":"200"}""")]
    [InlineData("""{"ms":1.5}""")]
    public async Task Sleep_without_a_whole_number_of_milliseconds_fails(string arguments)
    {
        var e = await Assert.ThrowsAsync<WorkerActionException>(() =>
            new Actions.SleepAction(TimeProvider.System).RunAsync(JsonNode.Parse(arguments)!.AsObject(), Context, CancellationToken.None));
        Assert.StartsWith("Sleep needs arguments.ms", e.Message);
    }
}
