using System.Net;
using System.Net.Http.Headers;

namespace Synaxis.Gateway.Tests.Fakes;

/// <summary>An upstream that answers each request with the next of a fixed list of answers, and remembers what it was sent.</summary>
internal sealed class StatusSequenceHandler(params (HttpStatusCode Status, byte[] Body)[] answers) : HttpMessageHandler
{
    public List<SentRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        Requests.Add(new SentRequest(request.Method, request.RequestUri!, headers, body));
        var (status, answer) = answers[Math.Min(Requests.Count, answers.Length) - 1];
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(answer), RequestMessage = request };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return response;
    }
}
