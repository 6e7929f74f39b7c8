namespace Ops.LocalCloud.State;

/// <summary>A record changed since the last flush: its service, where it lives, and how to serialise it as it is now (null: gone).</summary>
internal sealed record PendingRecord(string Service, StateRecord Record, Func<string?> Value);
