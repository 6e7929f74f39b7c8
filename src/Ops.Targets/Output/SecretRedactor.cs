namespace Ops.Targets.Output;

/// <summary>Replaces every known secret value in a text with <c>****</c>.</summary>
internal sealed class SecretRedactor
{
    public const string Mask = "****";
    string[] _secrets = [];

    /// <summary>Adds values to hide; longest first so a secret containing another is hidden whole.</summary>
    public void Add(IEnumerable<string> values)
    {
        _secrets = _secrets.Concat(values.Where(v => !string.IsNullOrEmpty(v)))
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
