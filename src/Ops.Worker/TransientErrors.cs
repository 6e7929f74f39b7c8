using System.Net.Sockets;
using Amazon.Runtime;
using Ops.Aws;

namespace Ops.Worker;

/// <summary>Tells a fault worth retrying (throttling, 5xx, no answer, connection refused) from an answer that will not change.</summary>
internal static class TransientErrors
{
    static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded", "SlowDown",
        "TransactionInProgressException", "LimitExceededException", "RequestTimeout", "RequestTimeoutException",
        "ServiceUnavailable", "InternalError", "InternalFailure", "InternalServerError",
        "AWS.SimpleQueueService.RequestThrottled", "KmsThrottled",
    };

    /// <summary>True when the same call may well succeed if made again a little later.</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return false;
            case AwsConnectionException c:
                return !c.IsConfiguration;
            case AmazonServiceException s when (int)s.StatusCode >= 500 || (s.ErrorCode != null && ThrottlingCodes.Contains(s.ErrorCode)):
                return true;
            case AmazonServiceException { StatusCode: 0 } s when s.InnerException != null:
                return IsTransient(s.InnerException, cancellationToken);
            case AmazonServiceException:
                return false;
            case OperationCanceledException:
            case TimeoutException:
            case HttpRequestException:
            case SocketException:
            case IOException:
                return true;
            case AmazonClientException { InnerException: { } inner }:
                return IsTransient(inner, cancellationToken);
            default:
                return false;
        }
    }

    /// <summary>One line naming the error without request details (no credentials, no signatures).</summary>
    public static string Describe(Exception e) => e switch
    {
        AwsConnectionException c => FirstLine(c.Message),
        AmazonServiceException s => $"{(int)s.StatusCode} {s.ErrorCode}{(FirstLine(s.Message) is { Length: > 0 } m ? $": {m}" : "")}",
        _ => $"{e.GetType().Name}: {FirstLine(e.Message)}",
    };

    static string FirstLine(string? message) =>
        (message ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)?.TrimEnd('.') ?? "";
}
