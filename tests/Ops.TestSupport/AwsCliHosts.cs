using System.Collections.Concurrent;

namespace Ops.TestSupport;

/// <summary>
/// The test process's idle <see cref="AwsCliHost"/>s: a call takes one (or starts one) and gives it back, so concurrent
/// tests each have their own and a host is never shared mid-call. Hosts end with the test process (their input closes).
/// </summary>
sealed class AwsCliHosts
{
    readonly ConcurrentBag<AwsCliHost> _idle = [];
    volatile bool _unavailable;

    /// <summary>Runs the call on an idle host; null when python3 cannot load the aws CLI here.</summary>
    public async Task<(int Code, string Out, string Error)?> TryRunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        if (_unavailable) return null;
        if (!_idle.TryTake(out var host))
        {
            host = await AwsCliHost.TryStartAsync();
            if (host == null)
            {
                _unavailable = true;
                return null;
            }
        }
        try
        {
            var result = await host.RunAsync(args, environment);
            _idle.Add(host);
            return result;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
