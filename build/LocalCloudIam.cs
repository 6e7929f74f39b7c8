namespace Ops.Build;

/// <summary>Whether the local cloud evaluates the requests of tasks and web processes against their roles' policies.</summary>
public enum LocalCloudIam
{
    On,
    Off,
}
