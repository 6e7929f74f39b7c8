/// <summary>The benchmark modes' command-line options: <c>--name value</c> pairs after the mode.</summary>
static class BenchArgs
{
    /// <summary>The value after <paramref name="name"/>, or null when the option is not given.</summary>
    public static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>A positive whole number after <paramref name="name"/>, <paramref name="fallback"/> when not given; anything else is a <see cref="BenchException"/>.</summary>
    public static int Count(string[] args, string name, int fallback) =>
        Text(args, name) is { } value
            ? int.TryParse(value, out var v) && v > 0 ? v : throw new BenchException($"{name} wants a positive whole number, not '{value}'")
            : fallback;
}
