namespace Ops.LocalCloud.Tasks;

/// <summary>
/// An image could not be resolved or unpacked. Its message is ECS's stop reason, <c>CannotPullContainerError: &lt;reason&gt;</c>:
/// throw sites give the bare reason, and this type alone words it as ECS does.
/// </summary>
public sealed class ImagePullException(string reason, Exception? inner = null) : Exception("CannotPullContainerError: " + reason, inner)
{
    /// <summary>Why the image could not be pulled, without ECS's prefix.</summary>
    public string Reason { get; } = reason;
}
