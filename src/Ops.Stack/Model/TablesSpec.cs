namespace Ops.Stack.Model;

/// <summary>The stage's DynamoDB tables besides the worker-log table (their key schemas are Ops's, see docs/stores.md).</summary>
public sealed record TablesSpec
{
    /// <summary>The filter log (<c>iotile-filter-log-{stage}</c>).</summary>
    public required string FilterLog { get; init; }

    /// <summary>The devices table with its global secondary index (<c>iotile-devices-{stage}</c>).</summary>
    public required string Devices { get; init; }
}
