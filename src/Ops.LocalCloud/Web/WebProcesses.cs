using System.IO.Compression;
using System.Net.Sockets;
using Ops.LocalCloud.DataStores;
using Ops.LocalCloud.Services.S3;
using Ops.LocalCloud.Tasks;

namespace Ops.LocalCloud.Web;

/// <summary>
/// The web processes behind Elastic Beanstalk environments: each environment's version is unpacked from the local cloud's
/// S3 under <c>&lt;state&gt;/elasticbeanstalk/&lt;environment id&gt;/</c>, and its Procfile's <c>web:</c> command runs with
/// <c>PORT</c> set to the environment's loopback port and its option settings' environment variables. Health follows HTTP
/// checks of the health-check path. A deploy replaces the environment's process; a terminate stops it.
/// </summary>
internal sealed class WebProcesses : IAsyncDisposable
{
    /// <summary>How long a health check waits for an answer.</summary>
    static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    readonly string _root;
    readonly S3Service _s3;
    readonly LocalCloudOptions _options;
    readonly Dictionary<string, WebProcess> _processes = new(StringComparer.Ordinal);
    readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = ProbeTimeout };
    Uri? _url;
    bool _disposed;

    readonly Services.Iam.CredentialsEndpoint _credentials;
    readonly Services.Iam.IamService _iam;
    readonly Dictionary<string, string> _credentialTokens = new(StringComparer.Ordinal);

    public WebProcesses(string stateDirectory, S3Service s3, LocalCloudOptions options, Services.Iam.CredentialsEndpoint credentials,
        Services.Iam.IamService iam)
    {
        _root = Path.Combine(stateDirectory, "elasticbeanstalk");
        (_s3, _options, _credentials, _iam) = (s3, options, credentials, iam);
        Records = ChildRecords.In(stateDirectory);
    }

    /// <summary>Where each running web process is recorded, so a start after a <c>kill -9</c> stops what was left.</summary>
    public ChildRecords Records { get; }

    /// <summary>What the local cloud says about Elastic Beanstalk at start.</summary>
    public static string Describe(WebProcesses? web, LocalCloudOptions options) => web != null
        ? "web: each Elastic Beanstalk environment runs its version's Procfile web process on a loopback port"
        : options.StateDirectory == null
            ? "web: simulated (real web processes need a state directory)"
            : "web: simulated (not requested)";

    public TimeProvider Clock => _options.Clock;

    /// <summary>How long a new version has to answer its health check before the deploy fails.</summary>
    public TimeSpan LaunchTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gives web processes the local cloud's URL (as <c>AWS_ENDPOINT_URL</c>) once it listens.</summary>
    public void Activate(Uri url) => _url = url;

    /// <summary>The environment's loopback port: the one it had (kept in its directory) while free, else a new one.</summary>
    public int PortFor(string environmentId)
    {
        var directory = Path.Combine(_root, environmentId);
        Directory.CreateDirectory(directory);
        return LoopbackPorts.Keep(Path.Combine(directory, "port"));
    }

    /// <summary>Starts <paramref name="deployment"/>'s version, replacing (stopping first) what the environment ran.</summary>
    public void Deploy(WebDeployment deployment)
    {
        lock (_processes)
        {
            if (_disposed) return;
            _processes.TryGetValue(deployment.EnvironmentId, out var replaced);
            var process = new WebProcess(this, deployment);
            _processes[deployment.EnvironmentId] = process;
            process.Start(replaced);
        }
    }

    /// <summary>Stops the environment's process (terminate) and then removes its unpacked versions and log.</summary>
    public void Stop(string environmentId)
    {
        WebProcess? process;
        lock (_processes) _processes.TryGetValue(environmentId, out process);
        if (process == null) return;
        _ = process.StopAsync().ContinueWith(_ => RemoveDirectory(environmentId), TaskScheduler.Default);
    }

    /// <summary>The environment's process phase; Stopped when it has none.</summary>
    public WebPhase Phase(string environmentId) => Find(environmentId)?.Phase ?? WebPhase.Stopped;

    /// <summary>Why the environment's process runs (create, update, restart); null when it has none.</summary>
    public WebStart? Reason(string environmentId) => Find(environmentId)?.Deployment.Reason;

    public bool? Healthy(string environmentId) => Find(environmentId)?.Healthy;

    public string? Cause(string environmentId) => Find(environmentId)?.Cause;

    /// <summary>The events the environment's process logged since the last call.</summary>
    public IReadOnlyList<WebEvent> Drain(string environmentId) => Find(environmentId)?.Drain() ?? [];

    WebProcess? Find(string environmentId)
    {
        lock (_processes) return _processes.GetValueOrDefault(environmentId);
    }

    /// <summary>
    /// The version's bundle unpacked (once per environment and version: a marker file says it is complete) and its
    /// Procfile's <c>web:</c> command. Throws <see cref="WebDeployException"/> with the event AWS users would need to read.
    /// </summary>
    public async Task<(string Directory, string Command)> UnpackAsync(WebDeployment d, CancellationToken ct)
    {
        if (d.Bucket == null || d.Key == null) return await SampleApplicationAsync(d, ct);
        var directory = Path.Combine(_root, d.EnvironmentId, "versions", SafeName(d.Version));
        var marker = Path.Combine(directory, ".unpacked");
        if (!File.Exists(marker))
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            Directory.CreateDirectory(directory);
            var zip = Path.Combine(_root, d.EnvironmentId, $"bundle-{Guid.NewGuid():N}.zip");
            try
            {
                await using (var file = File.Create(zip))
                    if (!await _s3.CopyObjectToAsync(d.Bucket, d.Key, file, ct))
                        throw new WebDeployException($"Failed to download the source bundle s3://{d.Bucket}/{d.Key} of version {d.Version}: no such object.");
                try
                {
                    ZipFile.ExtractToDirectory(zip, directory, overwriteFiles: true);
                }
                catch (InvalidDataException)
                {
                    throw new WebDeployException($"The source bundle s3://{d.Bucket}/{d.Key} of version {d.Version} is not a valid zip file.");
                }
                catch (IOException e)
                {
                    throw new WebDeployException($"The source bundle s3://{d.Bucket}/{d.Key} of version {d.Version} cannot be unpacked: {e.Message}");
                }
            }
            finally
            {
                File.Delete(zip);
            }
            await File.WriteAllTextAsync(marker, d.Version, ct);
        }
        var procfile = Path.Combine(directory, "Procfile");
        if (!File.Exists(procfile))
            throw new WebDeployException($"Version {d.Version} has no Procfile at the root of its source bundle: add one with a line 'web: <command>' that listens on $PORT.");
        var command = (await File.ReadAllLinesAsync(procfile, ct))
            .Select(l => l.Trim()).Where(l => l.StartsWith("web:", StringComparison.Ordinal)).Select(l => l[4..].Trim()).FirstOrDefault();
        if (string.IsNullOrEmpty(command))
            throw new WebDeployException($"The Procfile of version {d.Version} has no 'web:' line: add 'web: <command>' that listens on $PORT.");
        return (directory, command);
    }

    /// <summary>
    /// A version created without a source bundle runs Elastic Beanstalk's sample application, as on AWS: here a static
    /// page served by Python's own HTTP server on the environment's port (it answers / and any health check path).
    /// </summary>
    async Task<(string Directory, string Command)> SampleApplicationAsync(WebDeployment d, CancellationToken ct)
    {
        var directory = Path.Combine(_root, d.EnvironmentId, "sample-application");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "index.html"),
            $"<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>Congratulations</h1>" +
            $"<p>Your Elastic Beanstalk environment {System.Net.WebUtility.HtmlEncode(d.EnvironmentName)} runs the sample application (version {System.Net.WebUtility.HtmlEncode(d.Version)} has no source bundle).</p></body></html>\n", ct);
        return (directory, "exec python3 -m http.server \"$PORT\" --bind \"$HOST\"");
    }

    /// <summary>
    /// A web process's environment: a few host variables (PATH, HOME, LANG, TMPDIR), the local cloud's endpoint and
    /// region as <c>AWS_*</c>, credentials (with an instance profile, the credentials endpoint's URI for its role, as an
    /// instance's metadata service would give them; without, the public keys), the environment's own variables, and
    /// <c>PORT</c> (and <c>HOST</c>: loopback only).
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(WebDeployment d)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "PATH", "HOME", "LANG", "TMPDIR", "DOTNET_ROOT" })
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) env[name] = value;
        env.TryAdd("PATH", "/usr/local/bin:/usr/bin:/bin");
        if (_url != null)
            foreach (var (k, v) in _options.ClientEnvironment(_url)) env[k] = v;
        if (_url != null && d.InstanceProfile is { } profile)
        {
            env.Remove("AWS_ACCESS_KEY_ID");
            env.Remove("AWS_SECRET_ACCESS_KEY");
            var token = Services.Identifiers.Token();
            lock (_credentialTokens)
            {
                if (_credentialTokens.Remove(d.EnvironmentId, out var old)) _credentials.Revoke(old);
                _credentialTokens[d.EnvironmentId] = token;
            }
            _credentials.Grant(token, () => _iam.RoleOfInstanceProfile(profile, _options.Account), "ec2.amazonaws.com", d.EnvironmentId);
            env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = Services.Iam.CredentialsEndpoint.UriFor(_url, token);
        }
        foreach (var (k, v) in d.Variables) env[k] = v;
        env["PORT"] = d.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["HOST"] = "127.0.0.1";
        return env;
    }

    /// <summary>The environment's web log (appended to across versions), as <c>eb logs</c> would show it.</summary>
    public StreamWriter OpenLog(WebDeployment d)
    {
        var directory = Path.Combine(_root, d.EnvironmentId);
        Directory.CreateDirectory(directory);
        return new StreamWriter(new FileStream(Path.Combine(directory, "web.log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    /// <summary>One health check: an HTTP GET of the health path; 2xx and 3xx are healthy. A null problem means nothing listens yet.</summary>
    public async Task<(bool Ok, string? Problem)> ProbeAsync(WebDeployment d, CancellationToken ct)
    {
        var url = $"http://127.0.0.1:{d.Port}{d.HealthPath}";
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400 ? (true, null) : (false, $"HTTP {code} from GET {d.HealthPath}");
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return (false, null);
        }
        catch (HttpRequestException e)
        {
            return (false, $"GET {d.HealthPath} failed: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, $"GET {d.HealthPath} did not answer within {ProbeTimeout.TotalSeconds:0}s");
        }
    }

    /// <summary>Stops every web process (the local cloud is stopping); their environments resume at the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        List<WebProcess> running;
        lock (_processes)
        {
            if (_disposed) return;
            _disposed = true;
            running = _processes.Values.ToList();
        }
        await Task.WhenAll(running.Select(p => p.StopAsync()));
        _http.Dispose();
    }

    void RemoveDirectory(string environmentId)
    {
        lock (_processes)
        {
            if (_processes.TryGetValue(environmentId, out var current) && current.Phase != WebPhase.Stopped) return;
            _processes.Remove(environmentId);
        }
        var directory = Path.Combine(_root, environmentId);
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A directory name for a version label: the label when it is plain, else its plain characters and a hash of it.</summary>
    static string SafeName(string version)
    {
        var plain = string.Concat(version.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));
        if (plain == version && plain is not ("." or "..")) return plain;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(version)))[..12];
        return $"{plain.Trim('.')}-{hash}";
    }
}
