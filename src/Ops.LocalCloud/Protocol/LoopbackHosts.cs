using System.Net;

namespace Ops.LocalCloud.Protocol;

/// <summary>
/// Which Host headers the local cloud answers: loopback addresses (127.0.0.0/8, [::1]), <c>localhost</c> and its
/// subdomains, and the names the user added. A page whose name an attacker rebinds to 127.0.0.1 still sends its own
/// name as Host, so refusing every other name closes DNS rebinding; URLs in answers are built from an accepted Host only.
/// </summary>
internal sealed class LoopbackHosts(IReadOnlyCollection<string> extraNames)
{
    readonly HashSet<string> _extra = extraNames.Select(n => n.Trim().TrimEnd('.').ToLowerInvariant()).Where(n => n.Length > 0).ToHashSet();

    /// <summary>True when <paramref name="hostHeader"/> (name or address, with or without a port) may be answered.</summary>
    public bool Accepts(string? hostHeader)
    {
        if (string.IsNullOrEmpty(hostHeader)) return false;
        var host = HostPart(hostHeader);
        if (host == null) return false;
        if (host is "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)) return true;
        if (_extra.Contains(host)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address) && !IsMappedOrOdd(host);
    }

    /// <summary>The name or address without its port and brackets, lower case; null when the header is not a host.</summary>
    static string? HostPart(string header)
    {
        var h = header.Trim();
        if (h.StartsWith('['))
        {
            var close = h.IndexOf(']');
            if (close < 0) return null;
            var rest = h[(close + 1)..];
            if (rest.Length > 0 && !(rest[0] == ':' && IsPort(rest[1..]))) return null;
            return h[1..close].ToLowerInvariant();
        }
        var colon = h.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!IsPort(h[(colon + 1)..])) return null;
            h = h[..colon];
        }
        return h.TrimEnd('.').ToLowerInvariant();
    }

    static bool IsPort(string text) => text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit);

    /// <summary>
    /// Only dotted-quad 127.x.y.z and ::1 count as loopback text: .NET also parses "127.1" or "2130706433", which a
    /// browser would never send as its Host for a loopback page but which are no reason to widen what is accepted.
    /// </summary>
    static bool IsMappedOrOdd(string host) =>
        !(host == "::1" || (host.Count(c => c == '.') == 3 && host.All(c => char.IsAsciiDigit(c) || c == '.')));

    /// <summary>The refusal a caller reads: what was refused and the parameter that would allow it.</summary>
    public static string Refusal(string? hostHeader) =>
        $"Host '{Shorten(hostHeader)}' is not a loopback name: the local cloud answers only requests addressed to 127.0.0.0/8, localhost or [::1] " +
        "(so no web page can reach it by DNS rebinding). To allow another name, start it with --local-cloud-hosts NAME (LocalCloudOptions.AllowedHosts).";

    static string Shorten(string? value) => value == null ? "" : value.Length <= 100 ? value : value[..100] + "…";
}
