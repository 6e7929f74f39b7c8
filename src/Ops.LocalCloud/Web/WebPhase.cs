namespace Ops.LocalCloud.Web;

/// <summary>Where an environment's web process is: starting a version, running it (healthy or not), or stopped.</summary>
internal enum WebPhase
{
    Deploying,
    Running,
    Stopping,
    Stopped,
}
