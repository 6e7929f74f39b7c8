namespace Ops.LocalCloud.Services;

/// <summary>A service whose resources have real servers behind them, started again when the local cloud starts on its kept state.</summary>
internal interface IResumesBackends
{
    void ResumeBackends();
}
