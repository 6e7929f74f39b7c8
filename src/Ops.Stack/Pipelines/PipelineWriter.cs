namespace Ops.Stack.Pipelines;

/// <summary>
/// Brings the repository's <c>.github/workflows/</c> in line with <see cref="PipelineGenerator"/>: writes new and changed
/// files, removes generated ones the stack no longer asks for, and never touches a workflow it did not generate.
/// </summary>
public static class PipelineWriter
{
    /// <summary>What would change ("create", "update", "delete" per path; unchanged files are left out), written unless <paramref name="dryRun"/>.</summary>
    public static IReadOnlyList<(string Path, string Action)> Sync(string repositoryRoot, IReadOnlyDictionary<string, string> files, bool dryRun)
    {
        var changes = new List<(string, string)>();
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(repositoryRoot, path);
            var existing = File.Exists(full) ? File.ReadAllText(full) : null;
            if (existing == content) continue;
            changes.Add((path, existing == null ? "create" : "update"));
            if (dryRun) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        var directory = Path.Combine(repositoryRoot, PipelineGenerator.Directory);
        if (Directory.Exists(directory))
            foreach (var file in Directory.GetFiles(directory, "*.yml").Order(StringComparer.Ordinal))
            {
                var path = $"{PipelineGenerator.Directory}/{Path.GetFileName(file)}";
                if (files.ContainsKey(path) || File.ReadLines(file).FirstOrDefault() != PipelineGenerator.Header) continue;
                changes.Add((path, "delete"));
                if (!dryRun) File.Delete(file);
            }
        return changes;
    }
}
