namespace Ops.Worker.Tests;

/// <summary>One PUT on task-protection/v1/state as the fake agent saw it (<see cref="Failed"/>: answered 503 on purpose).</summary>
public sealed record ProtectionCall(bool? Enabled, int? Minutes, DateTime At, bool Failed);
