using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Synaxis.Testing;

/// <summary>
/// Upstream misbehaviour on cue, for <see cref="FakeUpstream.Behavior"/>: the failures a gateway must
/// survive (refused, reset, rate limited, failing, malformed, truncated). Stalls are in <see cref="Respond"/>.
/// </summary>
public static class Faults
{
    // OpenAI's own words for its 500 and 503.
    private const string ServerErrorBody = """{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}""";
    private const string OverloadedBody = """{"error":{"message":"The engine is currently overloaded, please try again later","type":"server_error","param":null,"code":null}}""";

    /// <summary>Answers <paramref name="status"/> (500, 502, 503 …) with an OpenAI-shaped error body and the given headers.</summary>
    public static Func<HttpContext, JsonObject, Task> ServerError(int status = 500, params (string Name, string Value)[] headers) =>
        async (context, _) =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(status == 503 ? OverloadedBody : ServerErrorBody), context.RequestAborted).ConfigureAwait(false);
        };

    /// <summary>Answers 429 with OpenAI's recorded body and <c>Retry-After: <paramref name="retryAfter"/></c> (seconds or a date), or none.</summary>
    public static Func<HttpContext, JsonObject, Task> RateLimited(string? retryAfter) =>
        Respond.Json("openai/error-429-rate-limit-exceeded.json", 429, retryAfter is null ? [] : [("retry-after", retryAfter)]);

    /// <summary>Resets the connection before any response byte.</summary>
    public static Func<HttpContext, JsonObject, Task> ResetBeforeHeaders() =>
        (context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        };

    /// <summary>Starts a 200 event stream whose first event is broken JSON, then <c>[DONE]</c>.</summary>
    public static Func<HttpContext, JsonObject, Task> MalformedStream() =>
        Respond.RawStream("data: {\"id\":\"chatcmpl-x\",\"choices\":[{\"delta\":{\"content\":\"tru\n\n", "data: [DONE]\n\n");

    /// <summary>Starts a 200 event stream that is not SSE at all (an HTML error page from a proxy).</summary>
    public static Func<HttpContext, JsonObject, Task> NotAnEventStream() =>
        Respond.RawStream("<html><body><h1>502 Bad Gateway</h1></body></html>\n");

    /// <summary>Answers 200 <c>application/json</c> with the recorded completion cut in half, properly framed.</summary>
    public static Func<HttpContext, JsonObject, Task> TruncatedJson() =>
        async (context, _) =>
        {
            var body = Fixtures.Bytes(Respond.Completion);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted).ConfigureAwait(false);
        };

    /// <summary>Announces the whole recorded completion, sends half of it and resets the connection.</summary>
    public static Func<HttpContext, JsonObject, Task> ResetMidBody() =>
        async (context, _) =>
        {
            var body = Fixtures.Bytes(Respond.Completion);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            await Task.Delay(100, context.RequestAborted).ConfigureAwait(false);
            context.Abort();
        };

    /// <summary>An API root on 127.0.0.1 where nothing listens: connections are refused at once.</summary>
    public static Uri RefusingUrl()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        return new Uri($"http://127.0.0.1:{port}/v1");
    }
}
