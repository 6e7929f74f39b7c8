namespace Ops.LocalCloud;

/// <summary>A service error as AWS would send it: code, message, HTTP status, and Sender/Receiver.</summary>
public sealed class AwsError(string code, string message, int status = 400, bool sender = true) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
    public bool Sender { get; } = sender;

    /// <summary>For awsQueryCompatible services (SQS): the legacy query code, sent in x-amzn-query-error.</summary>
    public string? QueryCode { get; init; }

    public static AwsError NotFound(string code, string message) => new(code, message, 400);
    public static AwsError Invalid(string message) => new("InvalidParameterValue", message, 400);
}
