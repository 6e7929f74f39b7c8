namespace Ops.Stack.Drills;

/// <summary>
/// One part of the stage the drill exercised (the worker image, the web tier, the workers, PostgreSQL, Redshift,
/// Redis) and whether a real one stood behind it or the local cloud simulated it, with what showed it.
/// </summary>
public sealed record DrillPart(string Part, bool Real, string Detail);
