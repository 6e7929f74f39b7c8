namespace Ops.Worker.Tests;

/// <summary>One PUT on task-protection/v1/state as the fake agent saw it (Enabled/Minutes null when it was answered 503).</summary>
public sealed record ProtectionCall(bool? Enabled, int? Minutes, DateTime At, bool Failed);
