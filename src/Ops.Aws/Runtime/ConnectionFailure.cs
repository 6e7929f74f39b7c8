using System.Net.Sockets;
using Amazon.Runtime;

namespace Ops.Aws.Runtime;

/// <summary>Turns what AWSSDK.Core throws when a call gets no usable answer into an <see cref="AwsConnectionException"/> a user can act on.</summary>
internal static class ConnectionFailure
{
    /// <summary>The SDK's per-request timeout when none is configured (HttpClient's default).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    static readonly string[] ExpiredCodes = ["ExpiredToken", "ExpiredTokenException", "RequestExpired"];
    static readonly string[] RejectedCodes = ["InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId", "AuthFailure", "SignatureDoesNotMatch", "InvalidSignatureException"];

    /// <summary>The exception to throw instead of <paramref name="e"/>, or null when <paramref name="e"/> is not a connection or credential failure.</summary>
    public static AwsConnectionException? Translate(Exception e, string call, string endpoint, TimeSpan? timeout, TimeSpan elapsed,
        CancellationToken cancellationToken)
    {
        if (e is AwsConnectionException) return null;
        var via = $"{call} at {endpoint}";
        switch (e)
        {
            case TimeoutException:
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                {
                    var limit = timeout ?? DefaultTimeout;
                    return new AwsConnectionException(
                        $"No answer from {endpoint} to {call} within {Seconds(limit)} per request (gave up after {Seconds(elapsed)}, retries included); " +
                        $"check that the endpoint is up and not overloaded, or allow longer with --aws-timeout (OPS_AWS_TIMEOUT), now {Seconds(limit)}{(timeout == null ? " (the SDK's default)" : "")}.",
                        isConfiguration: false, e);
                }
            case AmazonServiceException { ErrorCode: { } code } s when ExpiredCodes.Contains(code):
                return new AwsConnectionException(
                    $"The AWS session token has expired ({code} from {via}); get fresh credentials (aws sso login, or a new session's AWS_SESSION_TOKEN) and run again.",
                    isConfiguration: true, s);
            case AmazonServiceException { ErrorCode: { } code } s when RejectedCodes.Contains(code):
                return new AwsConnectionException(
                    $"The AWS credentials were rejected ({code} from {via}{Detail(s.Message)}); check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or --aws-profile, and that they belong to this partition and region.",
                    isConfiguration: true, s);
        }
        if (Find<NotAwsAnswerException>(e) is { } notAws)
            return new AwsConnectionException(
                $"{endpoint} answered {call} with something that is not an AWS service ({notAws.Message}); check that --endpoint-url (or AWS_ENDPOINT_URL) names an AWS-compatible endpoint.",
                isConfiguration: false, e);
        if (Find<SocketException>(e) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => new AwsConnectionException(
                    $"Connection refused by {endpoint} ({call}): nothing listens there; start the endpoint (./build.sh local-cloud, moto_server) or fix --endpoint-url.",
                    isConfiguration: false, e),
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new AwsConnectionException(
                    $"Cannot resolve the host of {endpoint} ({call}): DNS has no such name; check the host in --endpoint-url (or AWS_ENDPOINT_URL) and --region, and your network's DNS.",
                    isConfiguration: false, e),
                SocketError.TimedOut => new AwsConnectionException(
                    $"Could not connect to {endpoint} ({call}): the connection attempt timed out; check the endpoint's address and port, firewalls and your network.",
                    isConfiguration: false, e),
                _ => new AwsConnectionException(
                    $"Could not reach {endpoint} ({call}): {Trim(socket.Message)}; check the endpoint and your network.",
                    isConfiguration: false, e),
            };
        }
        if (Find<HttpRequestException>(e) is { } http)
            return new AwsConnectionException(
                $"Could not reach {endpoint} ({call}): {Trim(http.Message)}; check the endpoint and your network.",
                isConfiguration: false, e);
        return null;
    }

    static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e != null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }

    static string Detail(string? message) => Trim(message) is { Length: > 0 } m ? $": {m}" : "";

    static string Trim(string? message) =>
        (message ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)?.TrimEnd('.') ?? "";

    static string Seconds(TimeSpan t) => t.TotalSeconds < 10 ? $"{t.TotalSeconds:0.#}s" : $"{t.TotalSeconds:0}s";
}
