using System.Diagnostics;

namespace Ops.LocalCloud.DataStores;

/// <summary>
/// One PostgreSQL cluster behind one RDS instance or Redshift cluster: initdb under its directory, a postgres listening
/// on 127.0.0.1:<see cref="Port"/> only (password logins, SCRAM), its socket private to its directory. The master
/// password goes to PostgreSQL over that socket on psql's standard input; PostgreSQL keeps a SCRAM verifier, Ops nothing.
/// As on AWS, the master user is not a superuser: it owns its database and may create databases (and, on PostgreSQL 16
/// and later, roles), but cannot run programs (<c>COPY … TO PROGRAM</c>) or read the server's files. The cluster's
/// superuser is <see cref="Admin"/>, which logs in only over the private socket (no password, no TCP).
/// </summary>
internal sealed class PostgresServer(string directory, int port, ServerBinaries binaries, string stateDirectory) : IAsyncDisposable
{
    readonly Lock _gate = new();
    ServerProcess? _process;
    volatile string? _status = "creating";

    public string Directory => directory;

    public int Port => port;

    string Data => Path.Combine(directory, "pgdata");

    string Socket => Path.Combine(directory, "sock");

    string Initialized => Path.Combine(directory, "initialized");

    /// <summary>The cluster's bootstrap superuser, reachable only through the socket in the server's private directory.</summary>
    public const string Admin = "ops_localcloud_admin";

    /// <summary>Null while it serves; else the status to show instead of available ("creating", "failed").</summary>
    public string? Pending => _status;

    /// <summary>Why it failed, for the local cloud's log.</summary>
    public string? Failure { get; private set; }

    /// <summary>Creates the cluster (master user, password, database) and starts it; the work runs in the background.</summary>
    public Task CreateAsync(string user, string? password, string? database) => RunAsync(async ct =>
    {
        PrepareDirectories();
        if (user == Admin) throw new InvalidOperationException($"the master user name {Admin} is reserved by the local cloud");
        var (code, output) = await ServerProcess.RunAsync(binaries.Postgres("initdb", "-D", Data, "-U", Admin, "-E", "UTF8", "--auth-local=trust",
            "--auth-host=scram-sha-256", "--no-instructions"), directory, null, ct);
        if (code != 0) throw new InvalidOperationException($"initdb exited {code}: {Last(output)}");
        await StartAsync(ct);
        var sql = $"CREATE ROLE {Ident(user)} WITH LOGIN CREATEDB PASSWORD {Literal(password ?? "")};\n" + MasterPrivileges(user);
        if (database is { Length: > 0 } db && db != "postgres") sql += $"CREATE DATABASE {Ident(db)} OWNER {Ident(user)};\n";
        await PsqlAsync(Admin, sql, ct);
        await File.WriteAllTextAsync(Initialized, user, ct);
    });

    /// <summary>
    /// What RDS's master user may do besides logging in and creating databases: own the default database (so its public
    /// schema), see and signal other sessions. CREATEROLE only from PostgreSQL 16 on: before it, a role with CREATEROLE
    /// could grant itself pg_execute_server_program and so run programs.
    /// </summary>
    static string MasterPrivileges(string user) =>
        $"ALTER DATABASE postgres OWNER TO {Ident(user)};\n" +
        $"GRANT pg_monitor, pg_signal_backend TO {Ident(user)};\n" +
        $"DO $$BEGIN IF current_setting('server_version_num')::int >= 160000 THEN EXECUTE 'ALTER ROLE {Ident(user).Replace("'", "''")} CREATEROLE'; END IF; END$$;\n";

    /// <summary>
    /// A cluster an older local cloud made with the master user as its superuser gets the bootstrap superuser and a
    /// master demoted to what <see cref="MasterPrivileges"/> gives; a cluster made as now is left as it is.
    /// </summary>
    async Task DemoteOldMasterAsync(string user, CancellationToken ct)
    {
        var (code, _) = await ServerProcess.RunAsync(PsqlArgs(Admin), directory, "SELECT 1;\n", ct);
        if (code == 0) return;
        await PsqlAsync(user, $"CREATE ROLE {Ident(Admin)} WITH SUPERUSER LOGIN;\n", ct);
        await PsqlAsync(Admin, $"ALTER ROLE {Ident(user)} WITH NOSUPERUSER NOREPLICATION NOBYPASSRLS CREATEDB;\n" + MasterPrivileges(user), ct);
    }

    /// <summary>Starts a cluster created before (the local cloud restarted); its data is as it was left.</summary>
    public Task ResumeAsync() => RunAsync(async ct =>
    {
        if (!File.Exists(Initialized)) throw new InvalidOperationException("its creation was interrupted before it finished; delete the resource and create it again");
        PrepareDirectories();
        await StartAsync(ct);
        await DemoteOldMasterAsync((await File.ReadAllTextAsync(Initialized, ct)).Trim(), ct);
    });

    /// <summary>Sets the master user's password (ModifyDBInstance MasterUserPassword).</summary>
    public async Task SetPasswordAsync(string password, CancellationToken cancellationToken)
    {
        var user = (await File.ReadAllTextAsync(Initialized, cancellationToken)).Trim();
        await PsqlAsync(Admin, $"ALTER ROLE {Ident(user)} WITH PASSWORD {Literal(password)};\n", cancellationToken);
    }

    Task RunAsync(Func<CancellationToken, Task> work) => Task.Run(async () =>
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await work(timeout.Token);
            _status = null;
        }
        catch (Exception e)
        {
            Failure = e.Message;
            _status = "failed";
        }
    });

    void PrepareDirectories()
    {
        System.IO.Directory.CreateDirectory(directory);
        System.IO.Directory.CreateDirectory(Socket);
        if (OperatingSystem.IsWindows() || !ServerBinaries.IsRoot) return;
        // The server runs as postgres: it must own its directory and reach it through every parent. The local cloud's own
        // directories are opened for searching (not listing); a parent above the state directory it leaves alone.
        var state = Path.GetFullPath(stateDirectory).TrimEnd('/');
        for (var dir = new DirectoryInfo(directory).Parent; dir != null; dir = dir.Parent)
        {
            if (dir.UnixFileMode.HasFlag(UnixFileMode.OtherExecute)) continue;
            if (!(dir.FullName.TrimEnd('/') + "/").StartsWith(state + "/", StringComparison.Ordinal))
                throw new InvalidOperationException($"the postgres user cannot reach {directory}: {dir.FullName} is not searchable by others; chmod o+x it or use another state directory");
            dir.UnixFileMode |= UnixFileMode.OtherExecute;
        }
        using var chown = Process.Start(new ProcessStartInfo("chown", ["-R", "postgres:postgres", directory]) { UseShellExecute = false })!;
        chown.WaitForExit();
        if (chown.ExitCode != 0) throw new InvalidOperationException($"chown postgres {directory} exited {chown.ExitCode}");
    }

    async Task StartAsync(CancellationToken ct)
    {
        var process = ServerProcess.Start(binaries.Postgres("postgres", "-D", Data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", Socket, "-c", "listen_addresses=127.0.0.1", "-c", "log_min_error_statement=panic", "-c", "unix_socket_permissions=0700"),
            directory, Path.Combine(directory, "postgres.log"), stopSignal: 2, Tasks.ChildRecords.In(stateDirectory),
            "postgres-" + Path.GetRelativePath(stateDirectory, directory));
        lock (_gate) _process = process;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"postgres exited at start: {Last(await ReadLogAsync(ct))}");
            var (code, _) = await ServerProcess.RunAsync(binaries.Postgres("pg_isready", "-q", "-h", Socket, "-p",
                port.ToString(System.Globalization.CultureInfo.InvariantCulture)), directory, null, ct);
            if (code == 0) return;
            await Task.Delay(200, ct);
        }
    }

    async Task PsqlAsync(string user, string sql, CancellationToken ct)
    {
        var (code, output) = await ServerProcess.RunAsync(PsqlArgs(user), directory, sql, ct);
        if (code != 0) throw new InvalidOperationException($"psql exited {code}: {Last(output)}");
    }

    IReadOnlyList<string> PsqlArgs(string user) => binaries.Postgres("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", Socket,
        "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", user, "-d", "postgres", "-f", "-");

    async Task<string> ReadLogAsync(CancellationToken ct)
    {
        var log = Path.Combine(directory, "postgres.log");
        return File.Exists(log) ? await File.ReadAllTextAsync(log, ct) : "";
    }

    static string Last(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "(no output)";

    static string Ident(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    /// <summary>Stops postgres (fast shutdown), keeping its data.</summary>
    public async ValueTask DisposeAsync()
    {
        ServerProcess? process;
        lock (_gate) (process, _process) = (_process, null);
        if (process != null) await process.DisposeAsync();
    }
}
