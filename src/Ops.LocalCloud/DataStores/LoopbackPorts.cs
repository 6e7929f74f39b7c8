using System.Net;
using System.Net.Sockets;

namespace Ops.LocalCloud.DataStores;

/// <summary>Loopback TCP ports for the servers a local cloud starts: a free one, or whether a given one is free.</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The port recorded in <paramref name="file"/> when it is still free, else a new free one (recorded).</summary>
    public static int Keep(string file)
    {
        if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var kept) && kept > 0 && IsFree(kept)) return kept;
        var port = Free();
        File.WriteAllText(file, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return port;
    }
}
