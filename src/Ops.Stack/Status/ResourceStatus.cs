namespace Ops.Stack.Status;

/// <summary>
/// One row of <c>status</c>: a resource of the stage, whether it exists, its state as the service names it, whether
/// that state is healthy (green), and how it differs from the stack (each entry "setting: actual → wanted").
/// </summary>
public sealed record ResourceStatus(string Kind, string Name, bool Exists, string State, bool Healthy, IReadOnlyList<string> Drift)
{
    /// <summary>A resource the stack wants that does not exist.</summary>
    public static ResourceStatus Missing(string kind, string name) => new(kind, name, false, "missing", false, []);
}
