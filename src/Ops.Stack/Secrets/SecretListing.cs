namespace Ops.Stack.Secrets;

/// <summary>One row of secrets-list: a secret's name, its parameter, whether the stack requires or generates it, and its metadata (never its value).</summary>
public sealed record SecretListing(string Name, string Parameter, string Role, bool Exists, string? Type, DateTimeOffset? LastModified, long? Version);
