namespace Ops.LocalCloud.Tasks;

/// <summary>An image could not be resolved or unpacked; the task stops with <c>CannotPullContainerError</c> and this reason.</summary>
public sealed class ImagePullException(string reason, Exception? inner = null) : Exception(reason, inner);
