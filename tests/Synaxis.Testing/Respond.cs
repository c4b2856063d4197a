using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Synaxis.Testing;

/// <summary>Ready-made behaviours for <see cref="FakeUpstream"/>.</summary>
public static class Respond
{
    public const string TextStream = "openai/chat-stream-include-usage.sse";
    public const string Completion = "openai/chat-completion.json";

    /// <summary>Streams the recorded OpenAI stream when asked to stream, else the recorded completion.</summary>
    public static Task Default(HttpContext context, JsonObject request) =>
        request["stream"]?.GetValue<bool>() == true
            ? Replay(TextStream)(context, request)
            : Json(Completion)(context, request);

    /// <summary>Replays a recorded SSE body byte for byte, flushing each event, with delays before the first and between events.</summary>
    public static Func<HttpContext, JsonObject, Task> Replay(string fixture, TimeSpan firstDelay = default, TimeSpan betweenDelay = default, int? cutAfterEvents = null, bool abortAtCut = false) =>
        async (context, _) =>
        {
            var events = SseFixture.SplitEvents(Fixtures.Bytes(fixture));
            await StartStreamAsync(context, Fixtures.Status(fixture)).ConfigureAwait(false);
            for (var i = 0; i < events.Count; i++)
            {
                if (cutAfterEvents == i)
                {
                    if (abortAtCut)
                    {
                        // A reset discards whatever the peer has not read yet; let what was sent arrive first.
                        await Task.Delay(200, context.RequestAborted).ConfigureAwait(false);
                        context.Abort();
                    }

                    return;
                }

                var delay = i == 0 ? firstDelay : betweenDelay;
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
                }

                await context.Response.Body.WriteAsync(events[i], context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        };

    /// <summary>Streams raw bytes as given (for malformed streams).</summary>
    public static Func<HttpContext, JsonObject, Task> RawStream(params string[] events) =>
        async (context, _) =>
        {
            await StartStreamAsync(context, 200).ConfigureAwait(false);
            foreach (var text in events)
            {
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        };

    /// <summary>
    /// A synthetic OpenAI stream of <paramref name="chunks"/> content chunks (<c>"{label}{i} "</c>), then a finish
    /// chunk, a usage chunk and <c>[DONE]</c>.
    /// </summary>
    public static Func<HttpContext, JsonObject, Task> Synthetic(int chunks, TimeSpan firstDelay, TimeSpan betweenDelay, string label = "tok") =>
        async (context, _) =>
        {
            await StartStreamAsync(context, 200).ConfigureAwait(false);
            for (var i = 0; i < chunks; i++)
            {
                var delay = i == 0 ? firstDelay : betweenDelay;
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
                }

                await WriteEventAsync(context, SyntheticChunk($"{{\"content\":\"{label}{i} \"}}", "null", "")).ConfigureAwait(false);
            }

            await WriteEventAsync(context, SyntheticChunk("{}", "\"stop\"", "")).ConfigureAwait(false);
            await WriteEventAsync(context, "{\"id\":\"chatcmpl-synthetic\",\"object\":\"chat.completion.chunk\",\"created\":1727346168,\"model\":\"fake-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":" + chunks.ToString(CultureInfo.InvariantCulture) + ",\"total_tokens\":" + (10 + chunks).ToString(CultureInfo.InvariantCulture) + "}}").ConfigureAwait(false);
            await context.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        };

    /// <summary>Answers with a recorded JSON body and its recorded status (or <paramref name="status"/>), plus headers.</summary>
    public static Func<HttpContext, JsonObject, Task> Json(string fixture, int? status = null, params (string Name, string Value)[] headers) =>
        async (context, _) =>
        {
            context.Response.StatusCode = status ?? Fixtures.Status(fixture);
            context.Response.ContentType = "application/json";
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            await context.Response.Body.WriteAsync(Fixtures.Bytes(fixture), context.RequestAborted).ConfigureAwait(false);
        };

    /// <summary>The text of <see cref="Synthetic"/>'s content chunks.</summary>
    public static string SyntheticText(int chunks, string label = "tok") =>
        string.Concat(Enumerable.Range(0, chunks).Select(i => $"{label}{i.ToString(CultureInfo.InvariantCulture)} "));

    /// <summary>The n-th request (from 0) gets the n-th behaviour; the last one answers every request after.</summary>
    public static Func<HttpContext, JsonObject, Task> Sequence(params Func<HttpContext, JsonObject, Task>[] behaviours)
    {
        var count = -1;
        return (context, request) => behaviours[Math.Min(Interlocked.Increment(ref count), behaviours.Length - 1)](context, request);
    }

    /// <summary>Request n gets behaviour n modulo their number: <c>Cycle(fail, ok)</c> fails every other call.</summary>
    public static Func<HttpContext, JsonObject, Task> Cycle(params Func<HttpContext, JsonObject, Task>[] behaviours)
    {
        var count = -1;
        return (context, request) => behaviours[(int)((uint)Interlocked.Increment(ref count) % (uint)behaviours.Length)](context, request);
    }

    /// <summary>
    /// Answers as <paramref name="then"/> (default: <see cref="Default"/>) only when the request carries
    /// <c>Authorization: Bearer <paramref name="key"/></c>, else with OpenAI's recorded 401, like a provider after a key rotation.
    /// </summary>
    public static Func<HttpContext, JsonObject, Task> OnlyWithKey(string key, Func<HttpContext, JsonObject, Task>? then = null) =>
        (context, request) => context.Request.Headers.Authorization.ToString() == "Bearer " + key
            ? (then ?? Default)(context, request)
            : Json("openai/error-401-invalid-api-key.json")(context, request);

    /// <summary>Never answers: holds the request open until the caller gives up.</summary>
    public static Func<HttpContext, JsonObject, Task> Stall() =>
        (context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    /// <summary>Sends headers and the first <paramref name="events"/> recorded events, then goes silent.</summary>
    public static Func<HttpContext, JsonObject, Task> StallAfter(string fixture, int events) =>
        async (context, request) =>
        {
            await Replay(fixture, cutAfterEvents: events)(context, request).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
        };

    private static async Task StartStreamAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        // Real providers send their headers at once; the flush puts them on the wire before any event.
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteEventAsync(HttpContext context, string json)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("data: " + json + "\n\n"), context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static string SyntheticChunk(string delta, string finishReason, string extra) =>
        "{\"id\":\"chatcmpl-synthetic\",\"object\":\"chat.completion.chunk\",\"created\":1727346168,\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]" + extra + "}";
}
