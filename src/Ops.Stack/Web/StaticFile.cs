namespace Ops.Stack.Web;

/// <summary>One file of the statics directory: its bucket key, where it is on disk, and its content hashes (hex).</summary>
public sealed record StaticFile(string Key, string Path, string Sha256, string Md5, long Size);
