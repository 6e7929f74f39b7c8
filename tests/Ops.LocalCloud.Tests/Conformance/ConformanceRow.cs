using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Tests.Conformance;

/// <summary>
/// One operation, called once through the aws CLI with an asserted outcome: <see cref="Arrange"/> prepares (its calls are
/// not the row's), <see cref="Call"/> gives the CLI arguments of the one call the row is about, and either
/// <see cref="Expect"/> checks its response or <see cref="ExpectError"/> names the AWS error it must fail with.
/// A row cannot be built without one of them.
/// </summary>
public sealed record ConformanceRow
{
    public required string Service { get; init; }
    public required string Operation { get; init; }
    public Func<ConformanceContext, Task> Arrange { get; init; } = _ => Task.CompletedTask;
    public required Func<ConformanceContext, string[]> Call { get; init; }
    public Func<ConformanceContext, JsonNode?, Task>? Expect { get; init; }
    public string? ExpectError { get; init; }

    /// <summary>What the test list shows: service, operation, and whether it expects an error.</summary>
    public override string ToString() => $"{Service} {Operation}{(ExpectError is { } e ? $" → {e}" : "")}";
}
