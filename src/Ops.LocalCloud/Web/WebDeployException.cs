namespace Ops.LocalCloud.Web;

/// <summary>A version cannot be run (its bundle is missing, not a zip, or has no Procfile web line); the message is the environment's ERROR event.</summary>
internal sealed class WebDeployException(string message) : Exception(message);
