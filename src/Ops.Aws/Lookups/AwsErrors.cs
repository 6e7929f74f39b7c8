using Amazon.Runtime;

namespace Ops.Aws.Lookups;

/// <summary>
/// The one way Ops matches a service error: by its code (what AWS documents per operation), never by its message or by
/// exception type, so the generated clients, the official S3 and DynamoDB clients and every emulator are matched alike.
/// </summary>
public static class AwsErrors
{
    /// <summary>True when <paramref name="exception"/> is a service error with one of <paramref name="codes"/>.</summary>
    public static bool Is(Exception exception, params string[] codes) =>
        exception is AmazonServiceException e && codes.Contains(e.ErrorCode, StringComparer.Ordinal);

    /// <summary>
    /// Elastic Beanstalk's "already exists": it has no code of its own (AWS answers <c>InvalidParameterValue</c> with
    /// "Application Version … already exists." or "Environment … already exists."), so the message is read here and only here.
    /// </summary>
    public static bool IsBeanstalkAlreadyExists(Exception exception) =>
        exception is AmazonServiceException e && e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase);
}
