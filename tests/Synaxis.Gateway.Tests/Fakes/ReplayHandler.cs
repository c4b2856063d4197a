using System.Net;
using System.Net.Http.Headers;

namespace Synaxis.Gateway.Tests.Fakes;

/// <summary>
/// An upstream that never touches the network: answers every request with recorded bytes, a status and
/// headers, and remembers what it was sent. The body is a fresh stream per request, so a test can hand
/// out a trickle or a truncated copy of a fixture.
/// </summary>
internal sealed class ReplayHandler : HttpMessageHandler
{
    private readonly HttpStatusCode _status;
    private readonly Func<Stream> _body;
    private readonly string _contentType;
    private readonly (string Name, string Value)[] _headers;

    public ReplayHandler(HttpStatusCode status, byte[] body, string contentType = "application/json", params (string Name, string Value)[] headers)
        : this(status, () => new MemoryStream(body, writable: false), contentType, headers)
    {
    }

    public ReplayHandler(HttpStatusCode status, Func<Stream> body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        _status = status;
        _body = body;
        _contentType = contentType;
        _headers = headers;
    }

    /// <summary>Thrown instead of answering, to stand for a transport failure.</summary>
    public Exception? Throw { get; init; }

    public List<SentRequest> Requests { get; } = [];

    /// <summary>The body streams handed out, to check that the provider disposed them.</summary>
    public List<Stream> Bodies { get; } = [];

    public static ReplayHandler Sse(byte[] body) => new(HttpStatusCode.OK, body, "text/event-stream; charset=utf-8");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        Requests.Add(new SentRequest(request.Method, request.RequestUri!, headers, body));
        if (Throw is not null)
        {
            throw Throw;
        }

        var stream = _body();
        Bodies.Add(stream);
        var response = new HttpResponseMessage(_status) { Content = new StreamContent(stream), RequestMessage = request };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(_contentType);
        foreach (var (name, value) in _headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}

/// <summary>A request the <see cref="ReplayHandler"/> received.</summary>
internal sealed record SentRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public System.Text.Json.Nodes.JsonObject Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!.AsObject();
}
