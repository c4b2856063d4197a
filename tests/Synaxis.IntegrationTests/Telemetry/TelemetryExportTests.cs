using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Synaxis.IntegrationTests.Telemetry;

/// <summary>The standalone host's export: OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, no OpenTelemetry SDK at all otherwise.</summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Host_WithAnOtlpEndpoint_ExportsTheCallSpanAndTheGatewayMetrics()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var test = await GatewayUnderTest.StartAsync(s =>
        {
            s["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl;
            s["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            s["OTEL_BSP_SCHEDULE_DELAY"] = "100";
            s["OTEL_METRIC_EXPORT_INTERVAL"] = "200";
        });

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        await SseReader.ReadAllAsync(response);
        var requestId = response.Headers.GetValues("x-request-id").Single();

        // Protobuf keeps strings as UTF-8, so names and values can be found in the raw export.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(collector.Received("/v1/traces", requestId) && collector.Received("/v1/metrics", "synaxis.gateway.requests")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(collector.Received("/v1/traces", requestId), "the call's span is exported; received: " + collector.Describe());
        Assert.True(collector.Received("/v1/metrics", "synaxis.gateway.requests"), "the gateway's metrics are exported; received: " + collector.Describe());
        Assert.True(collector.Received("/v1/traces", "chat gpt-4")); // the span name
        Assert.True(collector.Received("/v1/traces", "gen_ai.request.model"));
    }

    [Fact]
    public async Task Host_WithoutExportSettings_RunsNoOpenTelemetrySdk()
    {
        await using var test = await GatewayUnderTest.StartAsync();

        Assert.Null(test.Gateway.Services.GetService<TracerProvider>());
    }

    /// <summary>Accepts OTLP/HTTP exports on 127.0.0.1 and keeps each body by path.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, string Body)> _exports = new();

        private OtlpCollector(WebApplication app) => _app = app;

        public string BaseUrl { get; private set; } = "";

        public static async Task<OtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var collector = new OtlpCollector(app);
            app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                collector._exports.Enqueue((context.Request.Path, Encoding.UTF8.GetString(body.ToArray())));
                context.Response.StatusCode = StatusCodes.Status200OK;
            });
            await app.StartAsync();
            collector.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return collector;
        }

        public string Describe() => string.Join(", ", _exports.Select(e => $"{e.Path} ({e.Body.Length} chars)"));

        public bool Received(string path, string text) => _exports.Any(e => e.Path == path && e.Body.Contains(text, StringComparison.Ordinal));

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
