using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using Synaxis.Gateway.Telemetry;

namespace Synaxis.Functions;

/// <summary>
/// Exports the worker's telemetry through OpenTelemetry (host.json sets <c>telemetryMode</c> to match, so the Functions
/// host's own telemetry is OpenTelemetry too and both correlate): the worker's defaults (the invocation's trace
/// context and resource), the gateway's spans and metrics, and logs, to Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set and to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is.
/// With neither, nothing is set up.
/// </summary>
public static class TelemetryExport
{
    public static IServiceCollection AddTelemetryExport(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = TelemetrySettings.From(configuration);
        if (!settings.ExportsAnything)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                .AddSource(GatewayTelemetry.Name)
                .AddSource("System.Net.Http")) // upstream requests, as .NET's HttpClient reports them
            .WithMetrics(metrics => metrics
                .AddMeter(GatewayTelemetry.Name)
                .AddMeter("System.Net.Http"))
            .WithLogging();
        if (settings.ExportsToApplicationInsights)
        {
            telemetry.UseAzureMonitorExporter(azureMonitor =>
            {
                azureMonitor.ConnectionString = settings.ApplicationInsightsConnectionString;
                azureMonitor.Credential = settings.IngestionCredential();
            });
        }

        if (settings.ExportsToOtlp)
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
