using System.Text.RegularExpressions;

namespace Ops.Build.Tests;

/// <summary>
/// The house rules the compiler's analyzers cannot check (those are in .editorconfig, enforced on build): no line of code
/// is longer than <see cref="MaxCodeLine"/> characters outside its string literals (a message stays one searchable line).
/// </summary>
public sealed partial class HouseRulesTests
{
    /// <summary>.editorconfig's max_line_length.</summary>
    public const int MaxCodeLine = 160;

    [GeneratedRegex("""\$*@?\"\"\"[\s\S]*?\"\"\"|\$*@?"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)'""")]
    private static partial Regex StringLiteral();

    /// <summary>The line with every string and char literal emptied, so only code and comments count.</summary>
    public static string CodeOf(string line) => StringLiteral().Replace(line, "\"\"");

    [Fact]
    public void No_line_of_code_is_longer_than_the_limit()
    {
        var sources = new[] { "src", "build", "tests", "bench" }
            .Select(d => Path.Combine(RepositoryRoot.Path, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => !f.EndsWith(".g.cs", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(sources);
        var longLines = sources
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(RepositoryRoot.Path, f), Line: i + 1, Code: CodeOf(line))))
            .Where(l => l.Code.Length > MaxCodeLine)
            .Select(l => $"{l.File}:{l.Line}: {l.Code.Length} characters of code")
            .ToList();
        Assert.True(longLines.Count == 0, $"{longLines.Count} line(s) longer than {MaxCodeLine} characters outside string literals; break them:\n{string.Join('\n', longLines)}");
    }

    [Theory]
    [InlineData("""Log.Info("a long message");""", """Log.Info("");""")]
    [InlineData("""var s = $"x {y} z" + @"c:\dir";""", """var s = "" + "";""")]
    [InlineData(""""var raw = $$"""{"a": {{b}}}""";"""", """var raw = "";""")]
    [InlineData("""var q = '"'; var code = Call(1, 2);""", """var q = ""; var code = Call(1, 2);""")]
    public void Only_string_literals_are_left_out(string line, string code) => Assert.Equal(code, CodeOf(line));
}
