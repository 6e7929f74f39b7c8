namespace Ops.Stack.Web;

/// <summary>One object under the statics prefix as the bucket lists it: key and ETag (quotes removed).</summary>
public sealed record RemoteStatic(string Key, string ETag);
