namespace Ops.LocalCloud.Tasks;

/// <summary>A task's scale-in protection as the agent endpoint reports it; <see cref="Failure"/> set when the task cannot be protected.</summary>
internal sealed record TaskProtection(string TaskArn, bool Enabled, DateTimeOffset? ExpirationDate, string? Failure = null);
