using System.Text.RegularExpressions;
using Ops.Stack.Loading;
using Ops.Stack.Model;
using YamlDotNet.RepresentationModel;

namespace Ops.Stack;

/// <summary>
/// Finds, parses and validates the stack file (ops.stack.yml, .yaml or .json at the repository root, or --stack PATH)
/// and resolves every stage: built-in defaults, then the file's <c>defaults:</c>, then the stage's <c>like:</c> chain, then the stage.
/// </summary>
public static partial class StackLoader
{
    /// <summary>The names looked for at the repository root, in this order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["ops.stack.yml", "ops.stack.yaml", "ops.stack.json"];

    /// <summary>
    /// Loads the stack for <paramref name="repositoryRoot"/>: <paramref name="stackPath"/> (relative to the root) when
    /// given, else the stack file at the root, else the built-in stack. Any problem is a one-line <see cref="StackException"/>.
    /// </summary>
    public static LoadedStack Load(string repositoryRoot, string? stackPath)
    {
        if (stackPath != null)
        {
            if (stackPath.Trim().Length == 0)
                throw new StackException("--stack is empty — pass the path of a stack file, like --stack ops.stack.yml");
            var full = Path.GetFullPath(stackPath, repositoryRoot);
            if (Directory.Exists(full))
                throw new StackException($"--stack '{stackPath}' is a directory — pass the stack file in it, like --stack {Path.Combine(stackPath, FileNames[0])}");
            if (!File.Exists(full))
                throw new StackException($"--stack '{stackPath}' does not exist (looked for {full}) — pass the path of a stack file, relative to the repository root or absolute");
            return Parse(stackPath, Read(full, stackPath));
        }
        var found = FileNames.Where(n => File.Exists(Path.Combine(repositoryRoot, n))).ToList();
        if (found.Count > 1)
            throw new StackException($"{found[1]}: there is also {found[0]} — keep one stack file at the repository root, or pick one with --stack");
        return found.Count == 0 ? BuiltIn() : Parse(found[0], Read(Path.Combine(repositoryRoot, found[0]), found[0]));
    }

    /// <summary>The built-in stack: dev, stage and prod as <see cref="StackDefaults"/> has them.</summary>
    public static LoadedStack BuiltIn() => new(null, StackDefaults.Stages.ToDictionary(s => s, StackDefaults.For));

    /// <summary>Parses and resolves stack file text; <paramref name="displayPath"/> is how errors name the file.</summary>
    public static LoadedStack Parse(string displayPath, string text)
    {
        var file = StackFile.Parse(displayPath, text);
        YamlMappingNode? defaults = null;
        var stages = new List<(string Name, YamlScalarNode Key, YamlMappingNode Body)>();
        foreach (var (keyNode, value) in file.Root.Children)
        {
            var key = StackFile.KeyOf(displayPath, keyNode, "(top)");
            var at = new Origin(displayPath, keyNode.Start, key);
            switch (key)
            {
                case "defaults":
                    defaults = Section(value, at, "the fields every stage shares");
                    break;
                case "stages":
                    foreach (var (stageKey, body) in Section(value, at, "one section per stage, like prod:").Children)
                    {
                        var name = StackFile.KeyOf(displayPath, stageKey, "stages");
                        var stageAt = new Origin(displayPath, stageKey.Start, $"stages.{name}");
                        if (!StageName().IsMatch(name))
                            throw stageAt.Error($"'{name}' is not a stage name (1–20 lowercase letters, digits and -, starting with a letter) — rename it, like qa");
                        stages.Add((name, (YamlScalarNode)stageKey, Section(body, stageAt, "the stage's fields")));
                    }
                    break;
                default:
                    throw at.Error(StackSchema.NamesUnder("").Contains(key) || key == "like"
                        ? $"a stack field at the top level — put it under defaults: (every stage) or stages.<name>: (one stage)"
                        : ClosestName.Find(key, ["defaults", "stages"]) is { } near ? $"unknown field — did you mean {near}?" : "unknown field — the top level holds defaults: and stages:");
            }
        }

        var names = StackDefaults.Stages.Concat(stages.Select(s => s.Name)).Distinct().ToList();
        var resolved = new Dictionary<string, StageStack>();
        foreach (var name in names)
        {
            var own = stages.FirstOrDefault(s => s.Name == name);
            var chain = LikeChain(displayPath, name, stages);
            var origins = new Dictionary<string, Origin>();
            var binder = new StackBinder(displayPath, name, origins);
            var stack = StackDefaults.For(name, chain[0]);
            if (defaults != null) stack = binder.Apply(stack, defaults, "defaults", isStage: false);
            foreach (var link in chain)
            {
                var body = stages.FirstOrDefault(s => s.Name == link).Body;
                if (body != null) stack = binder.Apply(stack, body, $"stages.{link}", isStage: true);
            }
            if (!origins.ContainsKey("tags.Project"))
                stack = stack with { Tags = new Dictionary<string, string>(stack.Tags) { ["Project"] = stack.Project } };
            var fallback = own.Key != null ? new Origin(displayPath, own.Key.Start, $"stages.{name}") : new Origin(displayPath, file.Root.Start, $"stages.{name}");
            StackValidator.Check(stack, origins, fallback);
            resolved[name] = stack;
        }
        return new LoadedStack(displayPath, resolved);
    }

    /// <summary>The stages <paramref name="stage"/> builds on, oldest first, ending with itself: qa like stage like prod → [prod, stage, qa].</summary>
    static List<string> LikeChain(string file, string stage, List<(string Name, YamlScalarNode Key, YamlMappingNode Body)> stages)
    {
        var chain = new List<string> { stage };
        var current = stage;
        while (true)
        {
            var body = stages.FirstOrDefault(s => s.Name == current).Body;
            var like = body?.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "like" });
            if (like is not { Key: not null } pair) break;
            var at = new Origin(file, pair.Value.Start, $"stages.{current}.like");
            if (pair.Value is not YamlScalarNode { Value: { Length: > 0 } target } || StackFile.IsNull(pair.Value))
                throw at.Error($"expected a stage name, got {StackFile.Describe(pair.Value)} — write like: prod");
            var defined = StackDefaults.Stages.Concat(stages.Select(s => s.Name)).Distinct().ToList();
            if (!defined.Contains(target))
                throw at.Error($"stage '{target}' is not defined (stages: {string.Join(", ", defined)}) — define it under stages: or name one of those");
            if (chain.Contains(target))
                throw at.Error($"'{target}' leads back to {current} ({string.Join(" → ", chain.AsEnumerable().Reverse().Append(target))}) — break the cycle");
            chain.Insert(0, target);
            current = target;
        }
        return chain;
    }

    static YamlMappingNode Section(YamlNode value, Origin at, string what) => value switch
    {
        YamlMappingNode map => map,
        _ when StackFile.IsNull(value) => new YamlMappingNode(),
        _ => throw at.Error($"expected a section ({what}), got {StackFile.Describe(value)} — indent its fields under {at.Path.Split('.')[^1]}:"),
    };

    static string Read(string fullPath, string shown)
    {
        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StackException($"{shown}: cannot be read ({e.Message}) — check the file's permissions");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,19}$")]
    private static partial Regex StageName();
}
