using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Web;

/// <summary>
/// One environment's web process: stops the process it replaces, unpacks the version's bundle, runs its Procfile's
/// <c>web:</c> command with <c>PORT</c> set, and follows it with HTTP health checks every second. Its phase, health and
/// the events it logs are read by Elastic Beanstalk under its own lock; everything here runs in the background.
/// </summary>
internal sealed class WebProcess
{
    /// <summary>Consecutive failed answers that make a running process unhealthy (or a starting one failed).</summary>
    const int FailuresToRed = 3;

    readonly WebProcesses _host;
    readonly object _gate = new();
    readonly List<WebEvent> _events = [];
    readonly CancellationTokenSource _stop = new();
    ContainerProcess? _process;
    string? _lastLine;
    string? _lastError;
    StreamWriter? _log;

    public WebProcess(WebProcesses host, WebDeployment deployment) => (_host, Deployment) = (host, deployment);

    public WebDeployment Deployment { get; }

    public WebPhase Phase { get; private set; } = WebPhase.Deploying;

    /// <summary>Whether the last health checks passed; null before the first verdict.</summary>
    public bool? Healthy { get; private set; }

    /// <summary>Why it is unhealthy (the last failed check), for DescribeEnvironmentHealth's causes.</summary>
    public string? Cause { get; private set; }

    /// <summary>Runs to its end (stopped, or the process gone); never throws.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts once <paramref name="replaced"/> (the environment's previous process) has stopped.</summary>
    public void Start(WebProcess? replaced) => Completion = Task.Run(() => RunAsync(replaced));

    /// <summary>Stops the process (SIGTERM to its process group, SIGKILL after 10 s) and completes when it is gone.</summary>
    public Task StopAsync()
    {
        lock (_gate) if (Phase != WebPhase.Stopped) Phase = WebPhase.Stopping;
        _stop.Cancel();
        return Completion;
    }

    /// <summary>The events logged since the last call.</summary>
    public IReadOnlyList<WebEvent> Drain()
    {
        lock (_gate)
        {
            var events = _events.ToList();
            _events.Clear();
            return events;
        }
    }

    async Task RunAsync(WebProcess? replaced)
    {
        try
        {
            if (replaced != null) await replaced.StopAsync();
            if (_stop.IsCancellationRequested) return;
            var (directory, command) = await _host.UnpackAsync(Deployment, _stop.Token);
            _log = _host.OpenLog(Deployment);
            var environment = _host.Environment(Deployment);
            var launch = new ContainerLaunch("web", "procfile", ["/bin/sh", "-c", command], directory, environment);
            _process = ContainerProcess.Start(launch, essential: true, TimeSpan.FromSeconds(10), logs: null, OnLine);
            _host.Records.Started(RecordName, _process.Pid, PosixSignals.Term);
            Log($"[local cloud] started web: {command} (port {Deployment.Port}, version {Deployment.Version})");
            await WatchAsync(_stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (WebDeployException e)
        {
            Verdict(false, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TaskStartException or InvalidDataException)
        {
            Verdict(false, $"the web process could not start: {e.Message}");
        }
        catch (Exception e)
        {
            Verdict(false, $"the local cloud could not run the web process: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            await StopProcessAsync();
            lock (_gate) Phase = WebPhase.Stopped;
            _log?.Dispose();
        }
    }

    /// <summary>Health checks every second: a verdict on the new version first, then health transitions while it runs.</summary>
    async Task WatchAsync(CancellationToken ct)
    {
        var deadline = _host.Clock.GetUtcNow() + _host.LaunchTimeout;
        var failures = 0;
        while (true)
        {
            if (_process!.Exited.IsCompleted)
            {
                await _process.CleanUpAsync(); // its last output lines, read to the end
                var exited = $"Process web exited with code {_process.ExitCode}: {_lastError ?? _lastLine ?? "(no output)"}";
                if (Phase == WebPhase.Deploying) Verdict(false, exited);
                else Transition(false, exited, "ERROR");
                return;
            }
            var (ok, problem) = await _host.ProbeAsync(Deployment, ct);
            failures = ok ? 0 : failures + 1;
            if (Phase == WebPhase.Deploying)
            {
                if (ok) Verdict(true, null);
                else if (problem != null && failures >= FailuresToRed) Verdict(false, $"Health check failed: {problem}");
                else if (_host.Clock.GetUtcNow() > deadline)
                    Verdict(false, $"Health check failed: nothing answered on port {Deployment.Port} within {_host.LaunchTimeout.TotalSeconds:0}s");
            }
            else if (ok && Healthy == false) Transition(true, null, "INFO");
            else if (!ok && Healthy == true && failures >= FailuresToRed) Transition(false, $"Health check failed: {problem ?? $"connection refused on port {Deployment.Port}"}", "WARN");
            await Task.WhenAny(Task.Delay(_host.ProbeInterval, ct), _process.Exited);
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The new version serves (or failed): Running, with AWS's events for the deploy's outcome.</summary>
    void Verdict(bool healthy, string? cause)
    {
        lock (_gate)
        {
            if (Phase is WebPhase.Stopping or WebPhase.Stopped) return;
            Phase = WebPhase.Running;
            Healthy = healthy;
            Cause = cause;
            var reason = Deployment.Reason;
            if (healthy)
            {
                if (reason == WebStart.Create) Add("INFO", $"Successfully launched environment: {Deployment.EnvironmentName}");
                else if (reason == WebStart.Update) Add("INFO", "Environment update completed successfully.");
                return;
            }
            Add("ERROR", cause!);
            // AWS logs the summary after the cause; a later stamp keeps that order for readers sorting by time.
            var summary = reason == WebStart.Create
                ? "Create environment operation is complete, but with errors. For more information, see troubleshooting documentation."
                : "Failed to deploy application.";
            _events.Add(new WebEvent(_host.Clock.GetUtcNow().AddMilliseconds(1), "ERROR", summary));
        }
    }

    void Transition(bool healthy, string? cause, string severity)
    {
        lock (_gate)
        {
            if (Phase != WebPhase.Running) return;
            Healthy = healthy;
            Cause = cause;
            Add(severity, healthy ? "Environment health has transitioned from Severe to Ok." : $"Environment health has transitioned from Ok to Severe. {cause}");
        }
    }

    void Add(string severity, string message) => _events.Add(new WebEvent(_host.Clock.GetUtcNow(), severity, message));

    /// <summary>An output line: logged, and kept as the last (error) line for the event of an exit.</summary>
    void OnLine(string line, bool error)
    {
        if (line.Trim().Length > 0)
        {
            if (error) _lastError = line.Trim();
            else _lastLine = line.Trim();
        }
        Log(line);
    }

    void Log(string line)
    {
        var log = _log;
        if (log == null) return;
        lock (log) log.WriteLine(line);
    }

    async Task StopProcessAsync()
    {
        var process = _process;
        if (process == null) return;
        if (!process.Exited.IsCompleted)
        {
            process.Signal(PosixSignals.Term);
            await Task.WhenAny(process.Exited, Task.Delay(process.StopTimeout));
        }
        await process.CleanUpAsync();
        _host.Records.Stopped(RecordName);
        process.Dispose();
    }

    string RecordName => "web-" + Deployment.EnvironmentId;
}
