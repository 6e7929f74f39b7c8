using System.Text;
using System.Text.RegularExpressions;

namespace Ops.Docker;

/// <summary>
/// A <c>.dockerignore</c> file as Docker reads it: one pattern a line (<c>#</c> comments, blank lines ignored), Go's
/// <c>filepath.Match</c> syntax plus <c>**</c> for any number of directories, <c>!</c> for exceptions, the last matching
/// line wins, and a pattern that matches a directory excludes everything under it.
/// </summary>
public sealed class DockerIgnore
{
    readonly IReadOnlyList<(Regex Pattern, bool Exception)> _rules;

    DockerIgnore(IReadOnlyList<(Regex, bool)> rules) => _rules = rules;

    /// <summary>No patterns: everything is sent.</summary>
    public static DockerIgnore Empty { get; } = new([]);

    /// <summary>True when any line is an exception (<c>!</c>), so an excluded directory may still hold included files.</summary>
    public bool HasExceptions => _rules.Any(r => r.Exception);

    /// <summary>Reads <c>.dockerignore</c> in <paramref name="contextDirectory"/>, or <see cref="Empty"/> when there is none.</summary>
    public static async Task<DockerIgnore> ReadAsync(string contextDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        return File.Exists(path) ? Parse(await File.ReadAllTextAsync(path, cancellationToken)) : Empty;
    }

    /// <summary>Parses the text of a <c>.dockerignore</c> file; a malformed pattern throws <see cref="FormatException"/> naming it.</summary>
    public static DockerIgnore Parse(string text)
    {
        var rules = new List<(Regex, bool)>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var exception = line.StartsWith('!');
            if (exception) line = line[1..].Trim();
            var cleaned = Clean(line);
            if (cleaned.Length == 0) continue;
            try
            {
                rules.Add((new Regex(ToRegex(cleaned), RegexOptions.CultureInvariant), exception));
            }
            catch (ArgumentException e)
            {
                throw new FormatException($".dockerignore line {lineNumber}: '{raw.Trim()}' is not a valid pattern ({e.Message}).");
            }
        }
        return new DockerIgnore(rules);
    }

    /// <summary>Whether the context-relative path (forward slashes) is left out of the build context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = Clean(relativePath);
        var parents = Parents(path).ToList();
        var excluded = false;
        foreach (var (pattern, exception) in _rules)
        {
            // Docker: a line matches a path when it matches the path itself or one of its parent directories.
            if (excluded == !exception) continue; // cannot change the outcome
            if (pattern.IsMatch(path) || parents.Any(pattern.IsMatch)) excluded = !exception;
        }
        return excluded;
    }

    static IEnumerable<string> Parents(string path)
    {
        for (var i = path.IndexOf('/'); i > 0; i = path.IndexOf('/', i + 1)) yield return path[..i];
    }

    /// <summary>Like Go's filepath.Clean on a relative path: no leading or doubled slashes, no "." segments, ".." resolved.</summary>
    internal static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>Translates one cleaned pattern to an anchored regular expression (moby's patternmatcher rules).</summary>
    internal static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                        sb.Append("(?:.*/)?"); // "**/" : zero or more directories
                    }
                    else sb.Append(".*"); // "**" at the end or before other characters: anything, slashes included
                }
                else sb.Append("[^/]*");
            }
            else if (c == '?') sb.Append("[^/]");
            else if (c == '[')
            {
                var end = pattern.IndexOf(']', i + 2);
                if (end < 0) throw new ArgumentException("an unclosed '['");
                var body = pattern[(i + 1)..end];
                sb.Append('[').Append(body.StartsWith('^') || body.StartsWith('!') ? "^" + Regex.Escape(body[1..]).Replace("\\-", "-")
                    : Regex.Escape(body).Replace("\\-", "-")).Append(']');
                i = end;
            }
            else if (c == '\\')
            {
                if (++i >= pattern.Length) throw new ArgumentException("a trailing '\\'");
                sb.Append(Regex.Escape(pattern[i].ToString()));
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.Append('$').ToString();
    }
}
