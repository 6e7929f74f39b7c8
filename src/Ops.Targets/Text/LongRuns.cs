using System.Text;

namespace Ops.Targets.Text;

/// <summary>
/// Keeps a message readable when it quotes what a user typed: a run of more than <see cref="Limit"/> characters
/// without a space (a 100,000-character --stage, a pasted blob) is shown by its start and its length.
/// </summary>
public static class LongRuns
{
    public const int Limit = 120;

    /// <summary><paramref name="text"/> with every over-long run cut to its first 40 characters and "… (N characters)".</summary>
    public static string Shorten(string text)
    {
        if (text.Length <= Limit) return text;
        var result = new StringBuilder(Math.Min(text.Length, 4 * Limit));
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !char.IsWhiteSpace(text[i])) continue;
            var run = text.AsSpan(start, i - start);
            if (run.Length > Limit) result.Append(run[..40]).Append($"… ({run.Length} characters)");
            else result.Append(run);
            if (i < text.Length) result.Append(text[i]);
            start = i + 1;
        }
        return result.ToString();
    }
}
