namespace Ops.Aws;

/// <summary>Where the resources live: the embedded local cloud (default) or real AWS (only when asked).</summary>
public enum CloudKind
{
    Local,
    Aws,
}
