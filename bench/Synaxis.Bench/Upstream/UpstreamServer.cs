using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Synaxis.Bench.Upstream;

/// <summary>
/// The fake OpenAI-compatible upstream, in its own process (<c>Synaxis.Bench upstream --port N</c>) so
/// that the load generator's CPU can be read apart from the upstream's. Serves
/// <c>POST /v1/chat/completions</c> from the current <see cref="UpstreamScript"/>, plus the bench's
/// controls: <c>POST /bench/script?chunks=&amp;first=&amp;between=</c> (milliseconds),
/// <c>GET</c> and <c>DELETE /bench/ledger</c>, and <c>GET /health</c>.
/// </summary>
internal sealed class UpstreamServer
{
    private readonly UpstreamLedger _ledger = new();
    private volatile UpstreamScript _script = UpstreamScript.Create(20, TimeSpan.Zero, TimeSpan.Zero);

    public static async Task RunAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        await using var app = builder.Build();
        var server = new UpstreamServer();
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
    }

    private Task HandleAsync(HttpContext context) => (context.Request.Method, context.Request.Path.Value) switch
    {
        ("POST", "/v1/chat/completions") => ChatAsync(context),
        ("POST", "/bench/script") => SetScript(context),
        ("GET", "/bench/ledger") => context.Response.WriteAsync(JsonSerializer.Serialize(_ledger.Snapshot(), UpstreamJsonContext.Default.LedgerReport)),
        ("DELETE", "/bench/ledger") => Reset(),
        ("GET", "/health") => context.Response.WriteAsync("ok"),
        _ => NotFound(context),
    };

    private async Task ChatAsync(HttpContext context)
    {
        var script = _script;
        var aborted = context.RequestAborted;
        var (stream, user) = await ReadRequestAsync(context.Request.BodyReader, aborted);
        if (!stream)
        {
            context.Response.ContentType = "application/json";
            await context.Response.BodyWriter.WriteAsync(script.Completion, aborted);
            return;
        }

        var entry = _ledger.Begin(user);
        // The moment the caller's hang-up reaches this process, not when the next write would notice it.
        using var registration = entry is null ? default : aborted.UnsafeRegister(static state => ((LedgerEntry)state!).MarkAborted(), entry);
        try
        {
            var response = context.Response;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(aborted);
            await response.BodyWriter.FlushAsync(aborted);
            for (var i = 0; i < script.Chunks; i++)
            {
                var delay = i == 0 ? script.FirstDelay : script.BetweenDelay;
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, aborted);
                }

                await response.BodyWriter.WriteAsync(script.ContentEvents[i], aborted);
            }

            await response.BodyWriter.WriteAsync(script.Tail, aborted);
            entry?.MarkCompleted();
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The caller hung up. A reset (a peer that leaves unread data behind sends one) can fail this write
            // before the server raises RequestAborted; either way the earliest sign is the time recorded.
            entry?.MarkAborted();
        }
        finally
        {
            _ledger.End();
        }
    }

    private static async Task<(bool Stream, string? User)> ReadRequestAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted)
            {
                var scanned = RequestScan.Read(result.Buffer);
                reader.AdvanceTo(result.Buffer.End);
                return scanned;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private Task SetScript(HttpContext context)
    {
        var query = context.Request.Query;
        int Read(string name) => int.Parse(query[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
        _script = UpstreamScript.Create(Read("chunks"), TimeSpan.FromMilliseconds(Read("first")), TimeSpan.FromMilliseconds(Read("between")));
        return Task.CompletedTask;
    }

    private Task Reset()
    {
        _ledger.Reset();
        return Task.CompletedTask;
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
