namespace Ops.Targets.Output;

/// <summary>Replaces every known secret value in a text with <c>****</c>.</summary>
internal sealed class SecretRedactor
{
    public const string Mask = "****";
    readonly Lock _gate = new();
    volatile string[] _secrets = [];

    /// <summary>Adds values to hide (safe from parallel targets); longest first so a secret containing another is hidden whole.</summary>
    public void Add(IEnumerable<string> values)
    {
        lock (_gate) _secrets = _secrets.Concat(values.Where(v => !string.IsNullOrEmpty(v)))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)
            .ToArray();
    }

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
            if (text.Contains(secret, StringComparison.Ordinal))
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }
}
