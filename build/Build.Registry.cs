using Ops.Targets;

namespace Ops.Build;

/// <summary>The registry behind the local cloud's ECR: where podman pushes and ECS tasks pull.</summary>
sealed partial class Build
{
    [Parameter("Loopback port of the docker-registry behind the local cloud's ECR (repository URIs are 127.0.0.1:<port>/<name>; 0 picks a free one, for tests).")]
    public int RegistryPort = 5100;
}
