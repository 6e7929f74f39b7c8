/// <summary>A benchmark that could not measure what it set out to (a step failed, a message went missing): one line, exit 1.</summary>
sealed class BenchException(string message) : Exception(message);
