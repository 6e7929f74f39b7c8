namespace Ops.TestSupport;

/// <summary>A throw-away repository root with a <c>.nuke/</c> directory.</summary>
public sealed class TestRoot : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ops-targets-").FullName;

    public TestRoot() => Directory.CreateDirectory(System.IO.Path.Combine(Path, ".nuke"));

    public string Nuke(string file) => System.IO.Path.Combine(Path, ".nuke", file);

    public TestRoot WithFile(string nukeFile, string content)
    {
        File.WriteAllText(Nuke(nukeFile), content);
        return this;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
