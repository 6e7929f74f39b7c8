using System.Runtime.InteropServices;

namespace Ops.LocalCloud.DataStores;

/// <summary>
/// Where PostgreSQL's and Redis's programs are on this machine (null: not installed), and how to start PostgreSQL as an
/// unprivileged user when the local cloud runs as root (PostgreSQL refuses to run as root): through setpriv as the
/// Debian package's <c>postgres</c> user.
/// </summary>
internal sealed record ServerBinaries(string? PostgresBin, string? RedisServer, string? PostgresProblem)
{
    [DllImport("libc", EntryPoint = "geteuid")]
    static extern uint GetEuid();

    /// <summary>True when this process runs as root.</summary>
    public static bool IsRoot => !OperatingSystem.IsWindows() && GetEuid() == 0;

    /// <summary>Looks on PATH, then in Debian's /usr/lib/postgresql/&lt;version&gt;/bin (newest first).</summary>
    public static ServerBinaries Find()
    {
        if (OperatingSystem.IsWindows()) return new(null, null, "real data stores are not supported on Windows");
        var postgresBin = OnPath("initdb") is { } initdb && File.Exists(Path.Combine(Path.GetDirectoryName(Resolve(initdb))!, "postgres"))
            ? Path.GetDirectoryName(Resolve(initdb))
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                    .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "postgres")))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
                : null;
        string? problem = null;
        if (postgresBin != null && IsRoot)
        {
            if (OnPath("setpriv") == null) problem = "running as root needs setpriv (util-linux) to start PostgreSQL as the postgres user";
            else if (!File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)))
                problem = "running as root needs the postgres system user (the postgresql package creates it)";
        }
        return new(postgresBin, OnPath("redis-server"), problem);
    }

    /// <summary>PostgreSQL can serve: its programs are here and, as root, it can drop to the postgres user.</summary>
    public bool HasPostgres => PostgresBin != null && PostgresProblem == null;

    public bool HasRedis => RedisServer != null;

    /// <summary>The argv that runs PostgreSQL's <paramref name="program"/> (initdb, postgres, psql, pg_isready) as the right user.</summary>
    public List<string> Postgres(string program, params string[] args)
    {
        var path = Path.Combine(PostgresBin!, program);
        return IsRoot ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", path, .. args] : [path, .. args];
    }

    static string Resolve(string path) => new FileInfo(path).LinkTarget is { } target ? Path.GetFullPath(target, Path.GetDirectoryName(path)!) : path;

    static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
