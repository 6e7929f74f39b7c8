namespace Ops.Stack.Images;

/// <summary>Building or publishing the image failed for a reason outside the user's input (a build error, a registry conflict): exit 1.</summary>
public sealed class ImagePublishException(string message, Exception? innerException = null) : Exception(message, innerException);
