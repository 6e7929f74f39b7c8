using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Ops.Aws.Runtime;

/// <summary>
/// AWS's standard retries, except for an endpoint that cannot be reached at all: a refused connection or a host name DNS
/// does not know is answered at once, and retrying it for a minute and a half (ten attempts with backoff) only hides
/// the mistake (a wrong --endpoint-url, a local cloud not running). Throttling, 5xx and timeouts are retried as before.
/// </summary>
internal sealed class FailFastRetryPolicy(IClientConfig config) : StandardRetryPolicy(config)
{
    public override bool RetryForException(IExecutionContext executionContext, Exception exception) =>
        !Unreachable(exception) && base.RetryForException(executionContext, exception);

    public override Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception) =>
        Unreachable(exception) ? Task.FromResult(false) : base.RetryForExceptionAsync(executionContext, exception);

    /// <summary>Nothing listens at the address, or the name does not exist.</summary>
    internal static bool Unreachable(Exception? e)
    {
        for (; e != null; e = e.InnerException)
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData })
                return true;
        return false;
    }
}
