namespace Ops.Worker.Tests;

/// <summary>One PUT on the task-protection endpoint: what it asked and the status it was answered with.</summary>
public sealed record ProtectionPut(bool Enabled, int? ExpiresInMinutes, int Status);
