using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Synaxis.Functions.Tests;

/// <summary>The worker's OpenTelemetry setup: built when an exporter is configured, absent otherwise.</summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public void WithApplicationInsightsAndOtlp_TheWorkerBuildsTracerAndMeterProviders()
    {
        using var services = Build(new()
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:1/",
            ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "ClientId=00000000-0000-0000-0000-000000000001;Authorization=AAD",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1",
        });

        Assert.NotNull(services.GetService<TracerProvider>());
        Assert.NotNull(services.GetService<MeterProvider>());
    }

    [Fact]
    public void WithoutExportSettings_NoOpenTelemetrySdkRuns()
    {
        using var services = Build([]);

        Assert.Null(services.GetService<TracerProvider>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddTelemetryExport(configuration).BuildServiceProvider();
    }
}
