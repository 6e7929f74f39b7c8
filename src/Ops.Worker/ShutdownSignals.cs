using System.Runtime.InteropServices;

namespace Ops.Worker;

/// <summary>
/// SIGTERM and SIGINT: the first asks the worker to stop receiving and finish its current message (<see cref="Stopping"/>);
/// a second one is left to the runtime's default, which ends the process at once.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    readonly CancellationTokenSource _stopping = new();
    readonly PosixSignalRegistration[] _registrations;
    readonly WorkerOutput _output;
    int _received;

    public ShutdownSignals(WorkerOutput output)
    {
        _output = output;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal)];
    }

    /// <summary>Cancelled at the first SIGTERM or SIGINT.</summary>
    public CancellationToken Stopping => _stopping.Token;

    void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1) return; // the default action: terminate now
        context.Cancel = true;
        _output.Info($"{context.Signal} received: finishing the current message, then exiting (send it again to stop at once)");
        _stopping.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stopping.Dispose();
    }
}
