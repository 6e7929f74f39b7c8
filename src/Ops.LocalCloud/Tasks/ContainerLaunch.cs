using System.Text.Json;
using System.Text.Json.Nodes;
using Ops.Contracts;

namespace Ops.LocalCloud.Tasks;

/// <summary>
/// How one container of a task runs as a host process: argv, working directory and environment, resolved from its
/// container definition and, for an image, the unpacked image (paths that exist inside the image mapped into its root).
/// Throws <see cref="TaskStartException"/> with ECS's reason when the definition cannot be run.
/// </summary>
internal sealed record ContainerLaunch(string Name, string Runner, IReadOnlyList<string> Argv, string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// Where the task runner's copy of a container carries a RunTask command override: for a local command it is the
    /// whole argv (a local command has no entrypoint of its own to keep), for an image the definition's command.
    /// </summary>
    public const string OverrideCommandKey = "x-ops-override-command";

    /// <summary>True when the container definition names a local command (no image is pulled).</summary>
    public static bool IsLocalCommand(JsonObject container) => container["dockerLabels"]?[LocalCommandImage.CommandLabel] != null;

    /// <summary>A local command: argv from the <c>ops.local.command</c> label (a JSON array), run in <c>ops.local.directory</c>.</summary>
    public static ContainerLaunch ForLocalCommand(JsonObject container, IReadOnlyDictionary<string, string> runtime, string hostPath)
    {
        var name = NameOf(container);
        var labels = container["dockerLabels"]!;
        string[] argv;
        try
        {
            argv = container[OverrideCommandKey] is JsonArray overridden
                ? overridden.Select(a => (string?)a ?? "").ToArray()
                : JsonSerializer.Deserialize<string[]>((string?)labels[LocalCommandImage.CommandLabel] ?? "") ?? [];
        }
        catch (JsonException)
        {
            throw new TaskStartException($"CannotStartContainerError: the {LocalCommandImage.CommandLabel} label of container {name} is not a JSON array of strings");
        }
        if (argv.Length == 0 || argv.Any(string.IsNullOrEmpty))
            throw new TaskStartException($"CannotStartContainerError: the {LocalCommandImage.CommandLabel} label of container {name} names no command");
        var directory = (string?)labels[LocalCommandImage.DirectoryLabel] ?? "";
        if (!Path.IsPathFullyQualified(directory) || !Directory.Exists(directory))
            throw new TaskStartException($"CannotStartContainerError: the {LocalCommandImage.DirectoryLabel} label of container {name} must be an existing absolute directory, not '{directory}'");
        var env = BuildEnvironment(new Dictionary<string, string>(), container, runtime, root: null, hostPath);
        return new ContainerLaunch(name, LocalCommandImage.Tag, argv, directory, env);
    }

    /// <summary>
    /// An image's entrypoint and command (the definition's <c>entryPoint</c> replaces the image's and, as Docker does, its
    /// default command too; <c>command</c> replaces the command). argv[0] runs from inside the image when it is there,
    /// else from the host PATH; absolute arguments and the working directory that exist in the image are mapped into its root.
    /// </summary>
    public static ContainerLaunch ForImage(JsonObject container, UnpackedImage image, IReadOnlyDictionary<string, string> runtime, string hostPath)
    {
        var name = NameOf(container);
        var entry = Strings(container["entryPoint"]);
        var command = Strings(container["command"]);
        var argv = (entry ?? image.Entrypoint).Concat(command ?? (entry != null ? [] : image.Command)).ToList();
        if (argv.Count == 0)
            throw new TaskStartException($"CannotStartContainerError: container {name} has no entrypoint or command (neither its definition nor image {image.Digest} gives one)");

        var root = image.RootDirectory;
        var env = BuildEnvironment(new Dictionary<string, string>(image.Environment), container, runtime, root, hostPath);
        var inImage = FindInImage(argv[0], root, env.GetValueOrDefault("PATH", ""));
        argv[0] = inImage ?? argv[0];
        for (var n = 1; n < argv.Count; n++) argv[n] = MapIntoRoot(argv[n], root) ?? argv[n];

        var workdir = (string?)container["workingDirectory"] is { Length: > 0 } w ? w : image.WorkingDirectory;
        if (workdir.Length == 0) workdir = "/";
        var mapped = MapIntoRoot(workdir, root) ?? (workdir == "/" ? root : null)
            ?? throw new TaskStartException($"CannotStartContainerError: working directory {workdir} of container {name} does not exist in image {image.Digest}");
        return new ContainerLaunch(name, "image-process", argv, mapped, env);
    }

    /// <summary>The container's name (required by ECS).</summary>
    public static string NameOf(JsonObject container) => (string?)container["name"] ?? "main";

    /// <summary>An absolute path that exists inside the image root, as a host path; null otherwise.</summary>
    public static string? MapIntoRoot(string path, string root)
    {
        if (!path.StartsWith('/') || path.Contains("/../") || path.EndsWith("/..")) return null;
        var mapped = Path.Join(root, path);
        return File.Exists(mapped) || Directory.Exists(mapped) ? mapped : null;
    }

    /// <summary>argv[0] inside the image: an absolute path there, or a bare name on the image's PATH; null when not in the image.</summary>
    static string? FindInImage(string program, string root, string path)
    {
        if (program.StartsWith('/')) return MapIntoRoot(program, root) is { } p && File.Exists(p) ? p : null;
        if (program.Contains('/')) return null;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(d => d.StartsWith(root, StringComparison.Ordinal))
            .Select(d => Path.Join(d, program)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// A few host variables a host process needs (HOME, DOTNET_ROOT, LANG, TMPDIR), then the image's environment, then the
    /// definition's <c>environment</c>, then what the runtime sets (credentials, endpoint, metadata URIs). PATH: the
    /// image's directories mapped into its root, then the host's PATH.
    /// </summary>
    static Dictionary<string, string> BuildEnvironment(Dictionary<string, string> image, JsonObject container, IReadOnlyDictionary<string, string> runtime,
        string? root, string hostPath)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "HOME", "DOTNET_ROOT", "LANG", "TMPDIR" })
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) env[name] = value;
        foreach (var (k, v) in image) env[k] = v;
        foreach (var pair in container["environment"] as JsonArray ?? [])
            if ((string?)pair?["name"] is { Length: > 0 } k) env[k] = (string?)pair["value"] ?? "";
        foreach (var (k, v) in runtime) env[k] = v;
        var dirs = env.GetValueOrDefault("PATH", "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => root != null && MapIntoRoot(d, root) is { } m ? m : d)
            .Concat(hostPath.Split(':', StringSplitOptions.RemoveEmptyEntries));
        env["PATH"] = string.Join(':', dirs.Distinct());
        return env;
    }

    static List<string>? Strings(JsonNode? node) => node is JsonArray a ? a.Select(x => (string?)x ?? "").ToList() : null;
}
