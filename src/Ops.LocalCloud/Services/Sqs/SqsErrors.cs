namespace Ops.LocalCloud.Services.Sqs;

/// <summary>The errors SQS sends, each with the legacy query code it carries in x-amzn-query-error.</summary>
internal static class SqsErrors
{
    static AwsError Error(string code, string queryCode, string message, int status = 400) => new(code, message, status) { QueryCode = queryCode };

    public static AwsError NoQueue() => Error("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
    public static AwsError QueueNameExists() => Error("QueueNameExists", "QueueAlreadyExists", "A queue already exists with the same name and a different value for attribute(s).");
    public static AwsError Throttled() => Error("RequestThrottled", "RequestThrottled", "Request is throttled.");
    public static AwsError InvalidParameterValue(string message) => Error("InvalidParameterValue", "InvalidParameterValue", message);
    public static AwsError MissingParameter(string parameter) => Error("MissingParameter", "MissingParameter", $"The request must contain the parameter {parameter}.");
    public static AwsError InvalidAttributeValue(string attribute, string reason) => Error("InvalidAttributeValue", "InvalidAttributeValue", $"Invalid value for the parameter {attribute}. Reason: {reason}");
    public static AwsError InvalidMessageContents(string message) => Error("InvalidMessageContents", "InvalidMessageContents", message);

    public static AwsError ReceiptHandleIsInvalid(string handle) =>
        Error("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", $"The input receipt handle \"{handle}\" is not a valid receipt handle.");

    public static AwsError MessageNotInflight() =>
        Error("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", "Message does not exist or is not available for visibility timeout change.");

    public static AwsError EmptyBatchRequest(string entryShape) =>
        Error("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", $"There should be at least one {entryShape} in the request.");

    public static AwsError TooManyEntriesInBatchRequest(int count) =>
        Error("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", $"Maximum number of entries per request are {SqsLimits.MaxBatchEntries}. You have sent {count}.");

    public static AwsError InvalidBatchEntryId(string id) =>
        Error("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
            $"Batch entry id '{id}' is invalid: a batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");

    public static AwsError BatchEntryIdsNotDistinct(string id) =>
        Error("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", $"Id {id} repeated.");

    public static AwsError BatchRequestTooLong(long size) =>
        Error("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", $"Batch requests cannot be longer than {SqsLimits.MaxMessageSize} bytes. You have sent {size} bytes.");
}
