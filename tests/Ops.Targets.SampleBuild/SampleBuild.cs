namespace Ops.Targets.SampleBuild;

/// <summary>Targets whose behaviour a test can observe from outside the process.</summary>
sealed class SampleBuild : BuildBase
{
    public static Task<int> Main(string[] args) => Execute<SampleBuild>(args);

    [Parameter("A token"), Secret] public string? Token;

    Target Long => _ => _.Executes(async ct =>
    {
        Console.WriteLine("long started");
        await Task.Delay(TimeSpan.FromMinutes(5), ct);
    });

    Target Cleanup => _ => _.AssuredAfterFailure().After(Long).Executes(() => Console.WriteLine("cleanup ran"));

    Target Chatty => _ => _.Executes(() =>
    {
        Console.WriteLine($"token is {Token}");
        Console.Write("partial ");
        Console.WriteLine("line");
        Console.Error.WriteLine("to stderr");
    });

    Target Fail => _ => _.Executes(() => throw new Exception("failing on purpose"));
}
