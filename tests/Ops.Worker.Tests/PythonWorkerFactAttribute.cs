namespace Ops.Worker.Tests;

/// <summary>A fact about the Python drain worker: skipped, with the reason shown, when python3 or its boto3 is missing on this machine.</summary>
public sealed class PythonWorkerFactAttribute : FactAttribute
{
    public PythonWorkerFactAttribute()
    {
        if (PythonWorker.Unavailable is { } reason) Skip = reason;
    }
}
