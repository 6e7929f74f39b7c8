using System.Text.Json;

namespace Ops.LocalCloud.Tasks;

/// <summary>
/// The record a running task container leaves under the state directory (<c>tasks/&lt;task&gt;.&lt;container&gt;.pid</c>):
/// its process (a session leader) and that process's start time, so a later start can tell it from a reused pid.
/// </summary>
internal sealed record TaskPidFile(int Pid, long StartTime, string Task, string Container)
{
    /// <summary>The signal that stops the leader cleanly (postgres: SIGINT); 0: SIGTERM to the whole session.</summary>
    public int Signal { get; init; }

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(PathIn(directory), JsonSerializer.Serialize(this));
    }

    public void Delete(string directory) => File.Delete(PathIn(directory));

    string PathIn(string directory) => Path.Combine(directory, $"{Task}.{Container}.pid");

    /// <summary>Every pid file in <paramref name="directory"/>, with its path; unreadable ones are returned as null.</summary>
    public static IEnumerable<(string Path, TaskPidFile? File)> All(string directory)
    {
        if (!Directory.Exists(directory)) yield break;
        foreach (var path in Directory.EnumerateFiles(directory, "*.pid"))
        {
            TaskPidFile? file;
            try { file = JsonSerializer.Deserialize<TaskPidFile>(File.ReadAllText(path)); }
            catch (Exception e) when (e is IOException or JsonException) { file = null; }
            yield return (path, file);
        }
    }
}
