namespace Ops.Docker;

/// <summary>No Docker Engine API answered at any of the places looked at; the message names each and how to start one.</summary>
public sealed class DockerEngineUnavailableException(string message, IReadOnlyList<string> tried) : Exception(message)
{
    /// <summary>Every endpoint tried, with why it did not answer.</summary>
    public IReadOnlyList<string> Tried { get; } = tried;
}
