namespace Ops.LocalCloud.Registry;

/// <summary>The docker-registry behind ECR could not be started (its port is taken, or it never answered); the message names the fix.</summary>
public sealed class RegistryUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
