namespace Ops.Build;

/// <summary>How fast local resources move through their states: realistic (a few seconds, for demos) or instant (tests, CI).</summary>
public enum LocalCloudSpeed
{
    Realistic,
    Instant,
}
