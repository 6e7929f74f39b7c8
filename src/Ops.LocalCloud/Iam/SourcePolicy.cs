namespace Ops.LocalCloud.Iam;

/// <summary>
/// A policy as the evaluator sees it: its id (inline name or managed ARN), its kind as SimulatePrincipalPolicy reports it
/// (<c>role</c>, <c>aws-managed</c>, <c>user-managed</c>) and its document.
/// </summary>
public sealed record SourcePolicy(string Id, string Type, PolicyDocument Document);
