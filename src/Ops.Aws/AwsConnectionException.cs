using Amazon.Runtime;

namespace Ops.Aws;

/// <summary>
/// A call that could not get an answer, or whose credentials were refused: the message is one line naming what
/// was tried and the way out. <see cref="IsConfiguration"/> when the fix is the user's settings (credentials, region).
/// </summary>
public sealed class AwsConnectionException(string message, bool isConfiguration, Exception? innerException = null)
    : AmazonClientException(message, innerException)
{
    /// <summary>True when the user's settings are at fault (missing, expired or rejected credentials; no region), not the network.</summary>
    public bool IsConfiguration { get; } = isConfiguration;
}
