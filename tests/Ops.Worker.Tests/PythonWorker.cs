using System.Diagnostics;

namespace Ops.Worker.Tests;

/// <summary>The Python drain worker (workers/python/drain_worker.py) run as a child process with the environment a task gets.</summary>
public static class PythonWorker
{
    static readonly Lazy<string?> Probe = new(ProbePython);

    /// <summary>The script, found from the test's output directory up to the repository root.</summary>
    public static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "workers", "python", "drain_worker.py");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException($"workers/python/drain_worker.py not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>Why the Python worker cannot run here (python3 or boto3 missing), or null when it can.</summary>
    public static string? Unavailable => Probe.Value;

    static string? ProbePython()
    {
        try
        {
            var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-c", "import sys, boto3; sys.exit(0 if sys.version_info >= (3, 11) else 3)" }) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode switch
            {
                0 => null,
                3 => "python3 is older than 3.11, which workers/python/drain_worker.py needs",
                _ => $"python3 cannot import boto3 (install python3-boto3 or pip install boto3): {err.Trim().Split('\n')[^1]}",
            };
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"python3 is not on PATH ({e.Message}); the Python drain worker tests need python3 with boto3";
        }
    }

    /// <summary>Starts <c>python3 drain_worker.py</c> from a directory that is not its own.</summary>
    public static ChildProcess Start(Dictionary<string, string> environment)
    {
        // ChildProcess adds to the inherited environment; what a test removed must not leak in from the test host.
        foreach (var name in new[] { "OPS_STAGE", "OPS_WORK_QUEUE", "OPS_WORKER_LOG_TABLE", "OPS_DRAIN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "ECS_CONTAINER_METADATA_URI_V4", "ECS_AGENT_URI" })
            environment.TryAdd(name, "");
        return new ChildProcess("python3", ["-u", Script], Path.GetTempPath(), environment);
    }
}
