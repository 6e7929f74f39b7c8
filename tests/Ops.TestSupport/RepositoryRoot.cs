namespace Ops.TestSupport;

/// <summary>The checkout the tests run from: the directory above the test assembly that holds Ops.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Ops.sln"))) return dir.FullName;
        throw new InvalidOperationException("Ops.sln not found above the test assembly.");
    }
}
