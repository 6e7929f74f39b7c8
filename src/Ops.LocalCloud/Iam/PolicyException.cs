namespace Ops.LocalCloud.Iam;

/// <summary>A policy document IAM would refuse: AWS's <c>MalformedPolicyDocument</c>, with what is wrong and where.</summary>
public sealed class PolicyException(string message) : Exception(message);
