using System.Globalization;

namespace Ops.Aws.Serialization;

/// <summary>Scalars as text, the way the query, ec2 and XML wires write and read them.</summary>
internal static class WireFormat
{
    public static string Format(object value, string? timestampFormat) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => FormatTimestamp(t, timestampFormat ?? "iso8601"),
        byte[] bytes => Convert.ToBase64String(bytes),
        _ => throw new NotSupportedException($"Cannot write {value.GetType().Name} to the wire."),
    };

    public static string FormatTimestamp(DateTimeOffset t, string format)
    {
        var utc = t.ToUniversalTime();
        return format switch
        {
            "unixTimestamp" => (utc.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture),
            "rfc822" => utc.ToString("r", CultureInfo.InvariantCulture),
            _ => utc.Millisecond == 0 && utc.Microsecond == 0
                ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        };
    }

    public static object Parse(Type type, string text)
    {
        if (type == typeof(string)) return text;
        var s = text.Trim();
        if (type == typeof(bool)) return s.Equals("true", StringComparison.OrdinalIgnoreCase);
        if (type == typeof(int)) return int.Parse(s, CultureInfo.InvariantCulture);
        if (type == typeof(long)) return long.Parse(s, CultureInfo.InvariantCulture);
        if (type == typeof(double)) return double.Parse(s, CultureInfo.InvariantCulture);
        if (type == typeof(DateTimeOffset)) return ParseTimestamp(s);
        if (type == typeof(byte[])) return Convert.FromBase64String(s);
        throw new NotSupportedException($"Cannot read {type.Name} from the wire.");
    }

    /// <summary>ISO 8601, RFC 822 or epoch seconds: what services send regardless of what the model says.</summary>
    public static DateTimeOffset ParseTimestamp(string s)
    {
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        return DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
