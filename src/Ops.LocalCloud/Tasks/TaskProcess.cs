using System.Text.Json.Nodes;
using Ops.Contracts;

namespace Ops.LocalCloud.Tasks;

/// <summary>
/// One ECS task run as host processes: resolves each container (local command, or image pulled through the image
/// source), prepares its log stream, starts it, and watches it. The task ends when an essential container exits (the
/// others are stopped) or when a stop is requested (SIGTERM to every process group, SIGKILL after the container's
/// stopTimeout); then ECS is told the outcome.
/// </summary>
internal sealed class TaskProcess
{
    readonly ProcessTaskRunner _runner;
    readonly LocalTask _task;
    readonly CancellationTokenSource _stop = new();
    readonly List<ContainerProcess> _containers = [];
    readonly List<string> _tokens = [];
    volatile bool _shutdown;

    public TaskProcess(ProcessTaskRunner runner, LocalTask task) => (_runner, _task) = (runner, task);

    public string TaskId => _task.TaskId;

    /// <summary>Runs the task to its end; never throws.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>Asks the task to stop (StopTask, the scheduler): its processes get SIGTERM, then SIGKILL after stopTimeout.</summary>
    public void RequestStop() => _stop.Cancel();

    /// <summary>The local cloud is stopping: stop the processes as for a stop request, but tell ECS nothing (the next start does).</summary>
    public Task ShutdownAsync()
    {
        _shutdown = true;
        _stop.Cancel();
        return Completion;
    }

    async Task RunAsync()
    {
        var definitions = _task.ContainerDefinitions.OfType<JsonObject>().ToList();
        string runner;
        try
        {
            var launches = new List<(ContainerLaunch Launch, JsonObject Definition)>();
            foreach (var definition in definitions)
                launches.Add((await ResolveAsync(definition), definition));
            runner = launches.Any(l => l.Launch.Runner == "image-process") ? "image-process" : LocalCommandImage.Tag;
            foreach (var (launch, definition) in launches)
            {
                _stop.Token.ThrowIfCancellationRequested();
                var logs = Logs(definition, launch.Name);
                var process = ContainerProcess.Start(launch, (bool?)definition["essential"] ?? true, StopTimeout(definition), logs);
                _containers.Add(process);
                _runner.Track(_task, process);
            }
        }
        catch (ImagePullException e)
        {
            await FailAsync(e.Message); // worded as ECS's stop reason by ImagePullException
            return;
        }
        catch (TaskStartException e)
        {
            await FailAsync(e.Message);
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await FailAsync($"CannotStartContainerError: {e.Message}");
            return;
        }
        catch (OperationCanceledException)
        {
            await FailAsync(null); // asked to stop before it ran: the requester's code and reason stand
            return;
        }
        if (!_shutdown) _runner.Host.TaskStarted(_task.Cluster, _task.TaskId, runner, _runner.Clock.GetUtcNow());

        // Until an essential container exits or a stop is asked for.
        var stopRequested = Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        var essentialExit = _containers.Any(c => c.Essential) ? Task.WhenAny(_containers.Where(c => c.Essential).Select(c => c.Exited))
            : Task.Delay(Timeout.Infinite);
        var first = await Task.WhenAny(stopRequested, essentialExit, Task.WhenAll(_containers.Select(c => c.Exited)));
        await StopAllAsync(_shutdown ? TimeSpan.FromSeconds(10) : null);
        foreach (var c in _containers) await c.CleanUpAsync();
        _runner.Untrack(_task, _containers, _tokens);
        if (_shutdown) return;

        var exits = _containers.Select(c => new ContainerExit(c.Name, c.ExitCode, null)).ToList();
        foreach (var c in _containers) c.Dispose();
        var requested = first == stopRequested;
        _runner.Host.TaskStopped(_task.Cluster, _task.TaskId, new TaskExit(
            requested ? null : "EssentialContainerExited", requested ? null : "Essential container in task exited",
            exits, _runner.Clock.GetUtcNow(), runner));
    }

    /// <summary>A container of the task as a launch: its local command, or its image pulled and mapped.</summary>
    async Task<ContainerLaunch> ResolveAsync(JsonObject definition)
    {
        var token = _runner.NewToken(_task, ContainerLaunch.NameOf(definition));
        _tokens.Add(token);
        var runtime = _runner.RuntimeEnvironment(token, _task);
        if (ContainerLaunch.IsLocalCommand(definition))
            return ContainerLaunch.ForLocalCommand(definition, runtime, _runner.HostPath);
        var image = (string?)definition["image"] ?? throw new TaskStartException($"CannotStartContainerError: container {ContainerLaunch.NameOf(definition)} names no image");
        var source = _runner.Images ?? throw new ImagePullException($"pull image {image}: this local cloud has no image source (no registry runs); give the container an {LocalCommandImage.CommandLabel} label to run a host command instead");
        var unpacked = await source.PullAsync(image, _stop.Token);
        return ContainerLaunch.ForImage(definition, unpacked, runtime, _runner.HostPath);
    }

    /// <summary>The container's awslogs shipper (its stream made ready), or null when it logs elsewhere.</summary>
    TaskLogShipper? Logs(JsonObject definition, string name)
    {
        var config = definition["logConfiguration"];
        if ((string?)config?["logDriver"] != "awslogs") return null;
        var options = config["options"];
        var group = (string?)options?["awslogs-group"]
            ?? throw new TaskStartException($"CannotStartContainerError: ResourceInitializationError: container {name}: the awslogs log driver needs the awslogs-group option");
        var prefix = (string?)options?["awslogs-stream-prefix"];
        var stream = prefix is { Length: > 0 } ? $"{prefix}/{name}/{_task.TaskId}" : _task.TaskId;
        var create = string.Equals((string?)options?["awslogs-create-group"], "true", StringComparison.OrdinalIgnoreCase);
        try
        {
            _runner.Logs.PrepareStream(group, stream, create);
        }
        catch (AwsError e)
        {
            throw new TaskStartException($"CannotStartContainerError: ResourceInitializationError: failed to create the log stream {stream} in log group {group}: {e.Code}: {e.Message}");
        }
        return new TaskLogShipper(_runner.Logs, group, stream, _runner.Clock);
    }

    static TimeSpan StopTimeout(JsonObject definition) =>
        TimeSpan.FromSeconds(definition["stopTimeout"] is JsonValue v && v.TryGetValue<long>(out var s) && s > 0 ? Math.Min(s, 120) : 30);

    /// <summary>SIGTERM to every container still running; SIGKILL to each after its stopTimeout (or <paramref name="cap"/>).</summary>
    async Task StopAllAsync(TimeSpan? cap)
    {
        var running = _containers.Where(c => !c.Exited.IsCompleted).ToList();
        foreach (var c in running) c.Signal(PosixSignals.Term);
        await Task.WhenAll(running.Select(async c =>
        {
            var grace = cap is { } max && max < c.StopTimeout ? max : c.StopTimeout;
            if (await Task.WhenAny(c.Exited, Task.Delay(grace)) != c.Exited) c.Signal(PosixSignals.Kill);
            await c.Exited;
        }));
    }

    /// <summary>The task never got all its containers running: stop what did start, and report TaskFailedToStart.</summary>
    async Task FailAsync(string? reason)
    {
        await StopAllAsync(TimeSpan.FromSeconds(10));
        foreach (var c in _containers) await c.CleanUpAsync();
        _runner.Untrack(_task, _containers, _tokens);
        if (_shutdown) return;
        var started = _containers.ToDictionary(c => c.Name);
        var exits = _task.ContainerDefinitions.OfType<JsonObject>().Select(d => ContainerLaunch.NameOf(d))
            .Select(n => started.TryGetValue(n, out var c) ? new ContainerExit(n, c.ExitCode, null) : new ContainerExit(n, null, reason)).ToList();
        foreach (var c in _containers) c.Dispose();
        _runner.Host.TaskStopped(_task.Cluster, _task.TaskId, new TaskExit(reason == null ? null : "TaskFailedToStart", reason, exits, _runner.Clock.GetUtcNow()));
    }
}
