namespace Ops.LocalCloud;

/// <summary>What a 200 from a local cloud with a state directory promises about the change it acknowledges.</summary>
public enum StateDurability
{
    /// <summary>
    /// The change was flushed to the disk (fsync of its group commit) before the answer: it survives the death of the
    /// local cloud and a power loss. The default.
    /// </summary>
    Disk,

    /// <summary>
    /// The change was written to the operating system before the answer: it survives the death of the local cloud
    /// (kill -9, a crash), and the disk is flushed at most 10 ms later, so only a power loss or kernel crash in that
    /// window can take it. About twice the write throughput of <see cref="Disk"/> (bench/).
    /// </summary>
    Process,
}
