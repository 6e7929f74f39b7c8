using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ops.Stack.Loading;

/// <summary>A parsed stack file (YAML, or JSON, which YAML reads too): its name as shown in errors and its top-level mapping.</summary>
internal sealed record StackFile(string DisplayPath, YamlMappingNode Root)
{
    /// <summary>Parses <paramref name="text"/>; every problem is a <see cref="StackException"/> pointing at its line and column.</summary>
    public static StackFile Parse(string displayPath, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var line = e.Start.Line;
            var problem = e.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase)
                ? $"duplicate key {KeyAt(text, e.Start)}— keep one of them"
                : $"not valid YAML or JSON: {Reason(e)} — fix the syntax here";
            throw new StackException($"{displayPath}:{line}:{e.Start.Column}: {problem}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" })
            throw new StackException($"{displayPath}:1:1: the stack file is empty — add defaults: or stages:, or delete the file to use the built-in stack");
        if (stream.Documents.Count > 1)
            throw new StackException($"{displayPath}:{stream.Documents[1].RootNode.Start.Line}:{stream.Documents[1].RootNode.Start.Column}: a second YAML document — keep one document (remove the ---)");
        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode map)
            throw new StackException($"{displayPath}:{root.Start.Line}:{root.Start.Column}: the stack file must be a mapping, got {Describe(root)} — start it with defaults: or stages:");
        return new StackFile(displayPath, map);
    }

    /// <summary>The text of a mapping key; keys must be plain names.</summary>
    public static string KeyOf(string file, YamlNode key, string within)
    {
        if (key is YamlScalarNode { Value: { Length: > 0 } name }) return name;
        throw new StackException($"{file}:{key.Start.Line}:{key.Start.Column}: {within}: a key must be a name, got {Describe(key)} — write name: value");
    }

    /// <summary>True for an empty value, <c>~</c> or <c>null</c> (unquoted).</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>A node as a user would name it in an error: a list, a section, or the value itself.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a section",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } s => $"the string \"{s.Value}\"",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an alias",
    };

    static string KeyAt(string text, Mark mark)
    {
        var lines = text.Split('\n');
        if (mark.Line < 1 || mark.Line > lines.Length) return "";
        var rest = lines[mark.Line - 1].TrimEnd('\r');
        rest = rest[(int)Math.Min(Math.Max(mark.Column - 1, 0), rest.Length)..];
        var key = rest.Split(':')[0].Trim().Trim('"', '\'');
        return key.Length > 0 ? $"'{key}' " : "";
    }

    static string Reason(YamlException e)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 40) - (Line: …): "; the position is already in front of the line.
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith('(') && cut > 0) message = message[(cut + 3)..];
        return message.TrimEnd('.').Replace("While parsing", "while parsing", StringComparison.Ordinal);
    }
}
