namespace Ops.Build;

/// <summary>The stage whose resources a target addresses; names follow the original stack (iotile-worker-{stage}).</summary>
public enum DeployStage
{
    Dev,
    Stage,
    Prod,
}
