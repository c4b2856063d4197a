using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Providers.Anthropic;
using Synaxis.Gateway.Providers.Gemini;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Http;

/// <summary>
/// Opens the TCP connections of upstream calls, each within the connect timeout of the deployments on
/// that host (the shortest, when several share it: they share its pooled connections too), so that a
/// host that drops packets fails in seconds and the call moves on, instead of waiting out the first-byte timeout.
/// </summary>
internal sealed class UpstreamConnector
{
    private readonly Dictionary<(string Host, int Port), TimeSpan> _timeouts = new(HostComparer.Instance);
    private readonly TimeSpan _default;
    private readonly TimeProvider _time;

    public UpstreamConnector(ModelCatalog catalog, IOptions<GatewayOptions> options, TimeProvider time)
    {
        _default = options.Value.ConnectTimeout;
        _time = time;
        foreach (var deployment in catalog.Deployments)
        {
            if ((deployment.BaseUrl ?? DefaultBaseUrl(deployment.Provider)) is { } url)
            {
                var key = (url.IdnHost, url.Port);
                _timeouts[key] = _timeouts.TryGetValue(key, out var known) && known < deployment.ConnectTimeout ? known : deployment.ConnectTimeout;
            }
        }
    }

    // Providers with a well-known address let a deployment leave BaseUrl out.
    private static Uri? DefaultBaseUrl(string provider) => provider switch
    {
        AnthropicProvider.ProviderName => AnthropicProvider.DefaultBaseUrl,
        GeminiProvider.ProviderName => GeminiProvider.DefaultBaseUrl,
        _ => null,
    };

    public TimeSpan TimeoutFor(string host, int port) => _timeouts.GetValueOrDefault((host, port), _default);

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        using var timeout = new CancellationTokenSource(TimeoutFor(endpoint.Host, endpoint.Port), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        // What SocketsHttpHandler does without a callback: dual-mode, every resolved address in turn, no Nagle.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, linked.Token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            // Not a cancellation: the handler reports it as a connection error, which the call can fall back from.
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class HostComparer : IEqualityComparer<(string Host, int Port)>
    {
        public static readonly HostComparer Instance = new();

        public bool Equals((string Host, int Port) x, (string Host, int Port) y) =>
            x.Port == y.Port && string.Equals(x.Host, y.Host, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Host, int Port) obj) => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Host), obj.Port);
    }
}
