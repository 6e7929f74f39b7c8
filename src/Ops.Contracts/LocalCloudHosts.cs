namespace Ops.Contracts;

/// <summary>The host names the local cloud gives endpoints of stores it only simulates: nothing listens there.</summary>
public static class LocalCloudHosts
{
    /// <summary>What every simulated endpoint's host name ends with.</summary>
    public const string Suffix = ".local-cloud.internal";

    /// <summary>A simulated endpoint's host name: <paramref name="name"/> + <see cref="Suffix"/>.</summary>
    public static string Simulated(string name) => name + Suffix;

    /// <summary>True when <paramref name="host"/> is a simulated endpoint.</summary>
    public static bool IsSimulated(string host) => host.EndsWith(Suffix, StringComparison.Ordinal);
}
