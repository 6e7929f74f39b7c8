namespace Ops.LocalCloud.Registry;

/// <summary>The docker-registry behind ECR could not be started (its port is taken, or it never answered); the message names the fix.</summary>
public sealed class RegistryUnavailableException(string message, bool portTaken = false, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>True when another program listens on the registry's port: the user's setting to change, not a fault.</summary>
    public bool PortTaken { get; } = portTaken;
}
