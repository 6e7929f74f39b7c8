namespace Ops.Aws.Runtime;

/// <summary>The endpoint answered, but not as an AWS service does (an HTML page, garbage, another protocol's document).</summary>
internal sealed class NotAwsAnswerException(string what, Exception? innerException = null) : Exception(what, innerException)
{
    /// <summary>What was answered, for a message: the content type and the first characters, on one line.</summary>
    public static string Describe(string? contentType, string body)
    {
        var text = string.Join(' ', body.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        var start = text.Length > 60 ? text[..60] + "…" : text;
        return $"{(string.IsNullOrEmpty(contentType) ? "no content type" : contentType)}{(start.Length > 0 ? $", starting '{start}'" : ", empty")}";
    }
}
