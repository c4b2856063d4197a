using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Synaxis.Gateway.Telemetry;

namespace Synaxis.Host;

/// <summary>
/// Exports the gateway's spans, metrics and logs through OpenTelemetry: to Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set (the exporter reads the other <c>OTEL_*</c> variables), to both, or, with neither, not at all: then no OpenTelemetry
/// SDK runs and the gateway's instruments have no listener.
/// </summary>
internal static class TelemetryExport
{
    public const string ServiceName = "synaxis-gateway";

    public static void AddTelemetryExport(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = TelemetrySettings.From(configuration);
        if (!settings.ExportsAnything)
        {
            return;
        }

        // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, override this name.
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(GatewayTelemetry.Name)
                .AddSource("System.Net.Http") // upstream requests, as .NET's HttpClient reports them
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments("/health")))
            .WithMetrics(metrics => metrics
                .AddMeter(GatewayTelemetry.Name)
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http"))
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
    }
}
