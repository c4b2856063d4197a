namespace Synaxis.Gateway.Tests.Fakes;

/// <summary>An <see cref="IHttpClientFactory"/> whose clients all send through one handler.</summary>
internal sealed class HandlerClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public List<string> Names { get; } = [];

    public HttpClient CreateClient(string name)
    {
        Names.Add(name);
        return new HttpClient(handler, disposeHandler: false);
    }
}
