namespace Ops.Stack.Output;

/// <summary>How a describing target prints its result (<c>--output</c>): aligned text for people, or JSON for programs.</summary>
public enum OutputFormat
{
    Text,
    Json,
}
