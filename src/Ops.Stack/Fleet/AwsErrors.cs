using Amazon.Runtime;

namespace Ops.Stack.Fleet;

/// <summary>Recognises the service errors the provisioners expect (a resource that does not exist yet).</summary>
internal static class AwsErrors
{
    /// <summary>True when <paramref name="exception"/> is a service error with one of <paramref name="codes"/>.</summary>
    public static bool Is(Exception exception, params string[] codes) =>
        exception is AmazonServiceException e && codes.Contains(e.ErrorCode, StringComparer.Ordinal);
}
