namespace Ops.Targets;

/// <summary>Marks a parameter whose value is shown as <c>****</c> wherever it could appear.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
