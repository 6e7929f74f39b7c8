namespace Ops.TestSupport;

/// <summary>
/// The Ops.Worker the tests start: as tests/run.sh publishes it (OPS_TEST_WORKER: ReadyToRun, as a stage runs it), or
/// else as built next to the test assembly (its project references Ops.Worker), for a plain `dotnet test`.
/// </summary>
public static class TestWorker
{
    public static string Dll => Environment.GetEnvironmentVariable("OPS_TEST_WORKER") is { Length: > 0 } published
        ? published
        : Path.Combine(AppContext.BaseDirectory, "Ops.Worker.dll");
}
