using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Synaxis.Testing;

/// <summary>
/// An OpenAI-compatible upstream on 127.0.0.1 that answers as a test tells it to: replaying recorded
/// provider bytes event by event with delays, stalling, cutting the connection, or failing with a
/// recorded error. It records every request and notices when the gateway hangs up on it.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _aborted;
    private long _served;
    private int _active;

    private FakeUpstream(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The API root to configure as a model's <c>BaseUrl</c>, e.g. <c>http://127.0.0.1:5123/v1</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>How each request is answered; tests swap it at will.</summary>
    public Func<HttpContext, JsonObject, Task> Behavior { get; set; } = Respond.Default;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Requests whose connection the gateway closed before the answer was complete.</summary>
    public long AbortedCount => Interlocked.Read(ref _aborted);

    public long ServedCount => Interlocked.Read(ref _served);

    public int ActiveCount => Volatile.Read(ref _active);

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeUpstream? upstream = null;
        app.Run(context => upstream!.HandleAsync(context));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream = new FakeUpstream(app, new Uri(address.TrimEnd('/') + "/v1"));
        return upstream;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _active);
        try
        {
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            var json = string.IsNullOrEmpty(body) ? new JsonObject() : JsonNode.Parse(body) as JsonObject ?? new JsonObject();
            Requests.Enqueue(new RecordedRequest(context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body)
            {
                Query = context.Request.QueryString.Value ?? "",
            });
            await Behavior(context, json).ConfigureAwait(false);
            Interlocked.Increment(ref _served);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _aborted);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; fails the test when it never does.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for: {what}");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A request the fake upstream received.</summary>
public sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The query string, with its <c>?</c> (Azure's <c>api-version</c>, Gemini's <c>alt=sse</c>).</summary>
    public string Query { get; init; } = "";

    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
