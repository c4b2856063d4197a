using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Synaxis.Gateway.Telemetry;

/// <summary>
/// The gateway's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <see cref="Name"/>.
/// The core emits through System.Diagnostics only; a host that wants the data subscribes by name
/// (OpenTelemetry's <c>AddSource</c>/<c>AddMeter</c>). With no subscriber, starting a span returns null and
/// recording a measurement does nothing, so an unobserved gateway pays almost nothing.
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "Synaxis.Gateway";

    /// <summary>Spans: one per call (chat, messages, embeddings).</summary>
    public static ActivitySource Source { get; } = new(Name, typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Counters and histograms of calls, tokens, cost, latency, retries and circuit breakers (<see cref="GatewayMetrics"/>).</summary>
    public static Meter Meter { get; } = new(Name, typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString());
}
