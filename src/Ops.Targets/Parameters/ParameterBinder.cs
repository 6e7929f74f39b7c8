using System.Text.Json;
using Ops.Targets.Text;

namespace Ops.Targets.Parameters;

/// <summary>
/// Fills the build's parameters. Precedence, highest first: command line, environment (<c>OPS_NAME</c> only),
/// <c>.nuke/parameters.&lt;profile&gt;.json</c> (later profiles win), <c>.nuke/parameters.json</c>, the member's
/// initial value. Command-line-only parameters (guards, secrets) skip every source but the first.
/// </summary>
internal sealed class ParameterBinder(
    IReadOnlyList<ParameterDescriptor> descriptors,
    IReadOnlyDictionary<string, string> environment,
    string rootDirectory)
{
    public sealed record Result(IReadOnlyList<BoundParameter> Parameters, IReadOnlyList<string> Errors);

    public Result Bind(object build, IReadOnlyList<CliParameter> cli, IReadOnlyList<string> profiles)
    {
        var errors = new List<string>();
        var knownNames = descriptors.Select(d => "--" + d.Name).ToList();

        var fromCli = new Dictionary<string, CliParameter>();
        foreach (var p in cli)
        {
            var key = Names.Normalize(p.Name);
            if (descriptors.All(d => d.Key != key))
            {
                errors.Add(Unknown($"--{p.Name}", knownNames, "on the command line"));
                continue;
            }
            if (!fromCli.TryAdd(key, p))
                errors.Add($"--{p.Name} is given twice on the command line; give it once (lists take several values: --{p.Name} a b).");
        }

        var env = IndexEnvironment();
        var files = new List<(string Origin, Dictionary<string, JsonElement> Values, ParameterSource Source)>();
        foreach (var profile in profiles.Reverse())
            files.Add(ReadFile($"parameters.{profile}.json", ParameterSource.ProfileFile, mustExist: true, errors, knownNames));
        files.Add(ReadFile("parameters.json", ParameterSource.ParametersFile, mustExist: false, errors, knownNames));

        var bound = new List<BoundParameter>();
        foreach (var d in descriptors)
        {
            var initial = d.GetValue(build);
            BoundParameter b;
            if (fromCli.TryGetValue(d.Key, out var c))
                b = Convert(d, c.Values, ParameterSource.CommandLine, "the command line");
            else if (d.CommandLineOnly)
                b = new BoundParameter(d, initial, ParameterSource.Default, "default", null);
            else if (FindEnvironment(env, d) is { } e)
                b = Convert(d, ValueConverter.IsList(d.Type) ? SplitList(e.Value) : [e.Value], ParameterSource.Environment, $"environment variable {e.Name}");
            else if (files.FirstOrDefault(f => f.Values.ContainsKey(d.Key)) is { Values: not null } file)
                b = ConvertJson(d, file.Values[d.Key], file.Source, file.Origin);
            else
                b = new BoundParameter(d, initial, ParameterSource.Default, "default", null);

            if (b.Error != null) errors.Add(b.ErrorLine);
            else d.SetValue(build, b.Value);
            bound.Add(b);
        }
        return new Result(bound, errors);
    }

    BoundParameter Convert(ParameterDescriptor d, IReadOnlyList<string> values, ParameterSource source, string origin)
    {
        if (ValueConverter.TryConvert(d.Type, values, out var value, out var error))
            return new BoundParameter(d, value, source, origin, null);
        if (d.IsSecret)
            foreach (var raw in values.Where(v => v.Length > 0))
                error = error!.Replace(raw, "****");
        return new BoundParameter(d, null, source, origin, error);
    }

    BoundParameter ConvertJson(ParameterDescriptor d, JsonElement element, ParameterSource source, string origin)
    {
        List<string> values;
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return new BoundParameter(d, null, source, origin, null);
            case JsonValueKind.Array:
                values = element.EnumerateArray().Select(JsonText).ToList();
                break;
            default:
                values = ValueConverter.IsList(d.Type) ? SplitList(JsonText(element)) : [JsonText(element)];
                break;
        }
        return Convert(d, values, source, origin);
    }

    static string JsonText(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    static List<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    (string Origin, Dictionary<string, JsonElement> Values, ParameterSource Source) ReadFile(
        string fileName, ParameterSource source, bool mustExist, List<string> errors, List<string> knownNames)
    {
        var origin = $".nuke/{fileName}";
        var path = Path.Combine(rootDirectory, ".nuke", fileName);
        var values = new Dictionary<string, JsonElement>();
        if (!File.Exists(path))
        {
            if (mustExist)
                errors.Add($"Profile file {origin} does not exist; create it or drop --profile {fileName["parameters.".Length..^".json".Length]}.");
            return (origin, values, source);
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{origin} must hold a JSON object of parameter names and values.");
                return (origin, values, source);
            }
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name.StartsWith('$')) continue; // $schema and friends
                var key = Names.Normalize(property.Name);
                if (descriptors.FirstOrDefault(d => d.Key == key) is not { } descriptor)
                    errors.Add(Unknown(property.Name, knownNames, $"in {origin}"));
                else if (descriptor.CommandLineOnly)
                    errors.Add($"{origin} sets '{property.Name}', which is accepted only on the command line (a guard or a secret must be typed on purpose): remove it from {origin} and pass --{descriptor.Name} when you mean it.");
                else
                    values[key] = property.Value.Clone();
            }
        }
        catch (JsonException e)
        {
            errors.Add($"{origin} is not valid JSON (line {e.LineNumber + 1}): fix or delete it.");
        }
        return (origin, values, source);
    }

    Dictionary<string, (string Name, string Value)> IndexEnvironment()
    {
        var index = new Dictionary<string, (string, string)>();
        foreach (var (name, value) in environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            index.TryAdd(Names.Normalize(name), (name, value));
        return index;
    }

    /// <summary>Only <c>OPS_NAME</c> (any case): a plain <c>STAGE</c> or <c>FORCE</c> exported for another tool must not steer a build.</summary>
    static (string Name, string Value)? FindEnvironment(Dictionary<string, (string Name, string Value)> env, ParameterDescriptor d) =>
        env.TryGetValue("ops" + d.Key, out var prefixed) ? prefixed : null;

    static string Unknown(string given, IReadOnlyList<string> known, string where)
    {
        var suggestions = Names.Suggest(given.TrimStart('-'), known.Select(k => k.TrimStart('-')).ToList());
        var hint = suggestions.Count > 0
            ? $"did you mean --{suggestions[0]}?"
            : "run ./build.sh --help for the list of parameters.";
        return $"Unknown parameter '{given}' {where}; {hint}";
    }
}

/// <summary>A <c>--name value…</c> group from the command line.</summary>
internal sealed record CliParameter(string Name, IReadOnlyList<string> Values);
