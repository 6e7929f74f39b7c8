namespace Ops.Docker;

/// <summary>The engine reported an error inside a build or push stream (HTTP 200 with an error message): the engine's own line.</summary>
public sealed class ImageBuildException(string message) : Exception(message);
