using System.Net;
using System.Net.Sockets;

namespace Synaxis.Testing;

/// <summary>
/// A port on 127.0.0.1 where connections neither complete nor fail: a listener that never accepts,
/// its accept queue filled by one connection of its own, so the kernel drops further SYNs (as a
/// firewall that drops packets does) and a connect attempt waits until its own timeout.
/// </summary>
public sealed class BlackHole : IDisposable
{
    private readonly Socket _listener;
    private readonly Socket _filler;

    public BlackHole()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0);
        var endpoint = (IPEndPoint)_listener.LocalEndPoint!;
        _filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _filler.Connect(endpoint);
        BaseUrl = new Uri($"http://127.0.0.1:{endpoint.Port}/v1");
    }

    /// <summary>The API root to configure as a deployment's <c>BaseUrl</c>.</summary>
    public Uri BaseUrl { get; }

    public void Dispose()
    {
        _filler.Dispose();
        _listener.Dispose();
    }
}
