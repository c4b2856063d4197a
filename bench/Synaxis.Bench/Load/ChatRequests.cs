using System.Net.Http.Headers;
using System.Text;
using Synaxis.Bench.Processes;

namespace Synaxis.Bench.Load;

/// <summary>
/// The request bodies, the same bytes for every target. Streams ask for usage, so that all three targets
/// relay the same events (the gateway always asks its upstream for usage but passes it on only when asked).
/// </summary>
internal static class ChatRequests
{
    public static readonly byte[] Streamed = Encoding.UTF8.GetBytes(
        $$$"""{"model":"{{{SynaxisProcess.ModelName}}}","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}""");

    public static readonly byte[] Completed = Encoding.UTF8.GetBytes(
        $$"""{"model":"{{SynaxisProcess.ModelName}}","messages":[{"role":"user","content":"hi"}]}""");

    /// <summary>A streamed request tagged in <c>user</c>, which every gateway passes on, so the upstream can say when it was hung up on.</summary>
    public static byte[] Tagged(string tag) => Encoding.UTF8.GetBytes(
        $$$"""{"model":"{{{SynaxisProcess.ModelName}}}","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true},"user":"{{{tag}}}"}""");

    public static HttpRequestMessage Create(Target target, byte[] body, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target.ChatCompletionsUrl)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.ApiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}
