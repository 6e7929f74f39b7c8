using System.Linq.Expressions;
using System.Text.RegularExpressions;

namespace Ops.Targets.Planning;

/// <summary>Renders a lambda's body as readable source-like text (for skip reasons and errors).</summary>
internal static partial class ExpressionText
{
    public static string Of(LambdaExpression lambda)
    {
        var text = lambda.Body.ToString();
        text = ClosureAccess().Replace(text, "");        // value(Build).Stage -> Stage
        text = ConvertCall().Replace(text, "$1");         // Convert(Stage, Object) -> Stage
        if (text.StartsWith('(') && text.EndsWith(')') && Balanced(text[1..^1])) text = text[1..^1];
        return text;
    }

    static bool Balanced(string s)
    {
        var depth = 0;
        foreach (var c in s)
        {
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) return false;
        }
        return depth == 0;
    }

    [GeneratedRegex(@"value\([^()]*\)\.")]
    private static partial Regex ClosureAccess();

    [GeneratedRegex(@"Convert\(([^(),]+), [^()]+\)")]
    private static partial Regex ConvertCall();
}
