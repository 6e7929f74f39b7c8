namespace Ops.LocalCloud.Web;

/// <summary>Why a web process starts: the environment was created, updated, or the local cloud restarted.</summary>
internal enum WebStart
{
    Create,
    Update,
    Resume,
}
