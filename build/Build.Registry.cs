using Ops.Targets;

namespace Ops.Build;

/// <summary>The registry behind the local cloud's ECR: where podman pushes and ECS tasks pull.</summary>
sealed partial class Build
{
    [Parameter("Loopback port of the docker-registry behind the local cloud's ECR (repository URIs are 127.0.0.1:<port>/<name>). Default: the state directory's own, chosen once (5100 when free, else a free one) and kept; 0 picks a free one for this run (tests).")]
    public int? RegistryPort;
}
