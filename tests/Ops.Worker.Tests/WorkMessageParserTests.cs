namespace Ops.Worker.Tests;

public sealed class WorkMessageParserTests
{
    [Fact]
    public void A_body_in_the_original_shape_parses_into_module_class_and_arguments()
    {
        var message = WorkMessageParser.Parse("""{"module":"ops.worker","class":"Sleep","arguments":{"ms":200}}""", out var error);
        Assert.NotNull(message);
        Assert.Equal("", error);
        Assert.Equal("ops.worker.Sleep", message.Task);
        Assert.Equal(200, message.Arguments["ms"]!.GetValue<int>());
    }

    [Fact]
    public void Missing_arguments_are_an_empty_object()
    {
        var message = WorkMessageParser.Parse("""{"module":"apps.sqsworker.worker","class":"WorkerShutDownAction"}""", out _);
        Assert.NotNull(message);
        Assert.Empty(message.Arguments);
    }

    [Theory]
    [InlineData("", "the body is empty")]
    [InlineData("not json", "the body is not JSON")]
    [InlineData("[1,2]", "the body is not a JSON object")]
    [InlineData("""{"class":"Sleep"}""", "\"module\" is missing or not a non-empty string")]
    [InlineData("""{"module":"ops.worker","class":7}""", "\"class\" is missing or not a non-empty string")]
    [InlineData("""{"module":"ops.worker","class":"Sleep","arguments":[1]}""", "\"arguments\" is not a JSON object")]
    public void A_bad_body_is_refused_with_the_reason(string body, string reason)
    {
        Assert.Null(WorkMessageParser.Parse(body, out var error));
        Assert.StartsWith(reason, error);
    }
}
