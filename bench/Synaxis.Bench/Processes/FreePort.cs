using System.Net;
using System.Net.Sockets;

namespace Synaxis.Bench.Processes;

/// <summary>A loopback port nothing listens on right now, for a server the bench is about to start.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Under <c>dotnet Synaxis.Bench.dll</c> the bench runs in a dotnet host; child .NET processes use the same one.</summary>
    public static string DotnetExecutable() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
