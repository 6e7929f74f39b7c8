using System.Collections.Concurrent;

namespace Ops.LocalCloud.Tasks;

/// <summary>
/// The built-in <see cref="ITaskRunner"/>: every ECS task runs as real host processes (<see cref="TaskProcess"/>), with
/// a pid file per container under <c>&lt;state&gt;/tasks</c>, so that a local cloud that died without stopping them
/// has them reaped (<see cref="ProcessReaper"/>) by the next start. Disposing stops every process it started.
/// </summary>
internal sealed class ProcessTaskRunner : ITaskRunner, IAsyncDisposable
{
    readonly LocalCloudOptions _options;
    readonly ConcurrentDictionary<string, TaskProcess> _tasks = new();
    readonly ConcurrentDictionary<string, (string Cluster, string TaskId, string Container)> _tokens = new();
    ITaskHost? _host;
    ITaskLogSink? _logs;
    int _disposed;

    readonly Services.Iam.CredentialsEndpoint _credentials;

    ProcessTaskRunner(LocalCloudOptions options, string pidDirectory, Services.Iam.CredentialsEndpoint credentials)
    {
        _options = options;
        _credentials = credentials;
        PidDirectory = pidDirectory;
        HostPath = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        Metadata = new TaskMetadataEndpoint(this);
    }

    /// <summary>The runner for these options: with a state directory, <see cref="LocalCloudOptions.RunTasks"/> on and no other task backend; null
    /// otherwise.</summary>
    public static ProcessTaskRunner? For(LocalCloudOptions options, Services.Iam.CredentialsEndpoint credentials) =>
        options is { RunTasks: true, StateDirectory: { } state, Backends.Tasks: null } ? new ProcessTaskRunner(options, Path.Combine(state, "tasks"), credentials)
            : null;

    public string PidDirectory { get; }
    public string HostPath { get; }
    public TimeProvider Clock => _options.Clock;
    public IImageSource? Images => _options.Backends.Images;
    public ITaskHost Host => _host ?? throw new InvalidOperationException("The task runner is not connected to ECS.");
    public ITaskLogSink Logs => _logs ?? throw new InvalidOperationException("The task runner is not connected to CloudWatch Logs.");
    public TaskMetadataEndpoint Metadata { get; }

    /// <summary>The local cloud's URL (known once it listens).</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Wiring, once: ECS to report to, the Logs service to write output into.</summary>
    public void Connect(ITaskHost host, ITaskLogSink logs) => (_host, _logs) = (host, logs);

    /// <summary>Once the server listens: reaps what a previous run left, then lets ECS mark its leftovers stopped and replace them.</summary>
    public async Task ActivateAsync(Uri url, CancellationToken cancellationToken)
    {
        Url = url;
        await ProcessReaper.ReapAsync(PidDirectory, TimeSpan.FromSeconds(3), cancellationToken);
        Host.Resume();
    }

    public void Started(LocalTask task)
    {
        lock (_tasks)
        {
            if (_disposed == 1) return;
            var process = new TaskProcess(this, task);
            if (_tasks.TryAdd(task.TaskId, process)) process.Start();
        }
    }

    public void Stopping(LocalTask task, string reason)
    {
        if (_tasks.TryGetValue(task.TaskId, out var process)) process.RequestStop();
    }

    /// <summary>A container process started: its pid file is written.</summary>
    public void Track(LocalTask task, ContainerProcess process)
    {
        var stat = ProcStat.Read(process.Pid);
        new TaskPidFile(process.Pid, stat?.StartTime ?? 0, task.TaskId, process.Name).Write(PidDirectory);
    }

    /// <summary>The task's processes are gone: pid files, metadata tokens and the task's entry go.</summary>
    public void Untrack(LocalTask task, IEnumerable<ContainerProcess> processes, IEnumerable<string> tokens)
    {
        foreach (var p in processes) new TaskPidFile(p.Pid, 0, task.TaskId, p.Name).Delete(PidDirectory);
        foreach (var t in tokens)
        {
            _tokens.TryRemove(t, out _);
            _credentials.Revoke(t);
        }
        _tasks.TryRemove(task.TaskId, out _);
    }

    /// <summary>An unguessable token for one container's metadata and agent endpoints.</summary>
    public string NewToken(LocalTask task, string container)
    {
        var token = Services.Identifiers.Token();
        _tokens[token] = (task.Cluster, task.TaskId, container);
        return token;
    }

    /// <summary>The task and container a token was given to.</summary>
    public bool TryResolve(string token, out (string Cluster, string TaskId, string Container) target) => _tokens.TryGetValue(token, out target);

    /// <summary>
    /// What the runtime adds to a container's environment: region, endpoint, metadata URIs, and credentials — with a
    /// task role, the credentials endpoint's URI for that role (as ECS's agent gives it, with the same token as the
    /// metadata endpoint, revoked when the task ends); without one, the public keys.
    /// </summary>
    public IReadOnlyDictionary<string, string> RuntimeEnvironment(string token, LocalTask task)
    {
        var env = _options.ClientEnvironment(Url);
        var url = env["AWS_ENDPOINT_URL"];
        if (task.TaskRoleArn is { } role)
        {
            env.Remove("AWS_ACCESS_KEY_ID");
            env.Remove("AWS_SECRET_ACCESS_KEY");
            _credentials.Grant(token, () => role, "ecs-tasks.amazonaws.com", task.TaskId);
            env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = Services.Iam.CredentialsEndpoint.UriFor(Url, token);
        }
        env["ECS_CONTAINER_METADATA_URI_V4"] = $"{url}{TaskMetadataEndpoint.Prefix}/{token}/v4";
        env["ECS_AGENT_URI"] = $"{url}{TaskMetadataEndpoint.Prefix}/{token}/agent";
        return env;
    }

    /// <summary>Stops every task process (SIGTERM, SIGKILL after its stopTimeout, at most 10 s); ECS state is left for the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        List<TaskProcess> running;
        lock (_tasks)
        {
            if (_disposed == 1) return;
            _disposed = 1;
            running = _tasks.Values.ToList();
        }
        await Task.WhenAll(running.Select(t => t.ShutdownAsync()));
    }
}
