using System.Net;
using System.Net.Sockets;

namespace Synaxis.Testing;

/// <summary>A 127.0.0.1 port nothing listens on right now, for a child process the test is about to start.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
