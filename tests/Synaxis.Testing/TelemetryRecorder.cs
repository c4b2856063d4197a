using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Synaxis.Gateway.Telemetry;

namespace Synaxis.Testing;

/// <summary>
/// Listens to the gateway's <see cref="GatewayTelemetry.Source"/> and <see cref="GatewayTelemetry.Meter"/> the way an
/// OpenTelemetry SDK would, keeping every ended span and every measurement. The source and meter are process-wide, so
/// tests running side by side see each other's telemetry: a test picks its own by request id or by names of its own.
/// </summary>
public sealed class TelemetryRecorder : IDisposable
{
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new();

    public TelemetryRecorder()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTelemetry.Name,
            Sample = static (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_spans);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GatewayTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public ConcurrentQueue<RecordedMeasurement> Measurements { get; } = new();

    /// <summary>The spans tagged with <paramref name="requestId"/>, once at least one has ended (spans end after the response, so this waits a little).</summary>
    public async Task<IReadOnlyList<Activity>> SpansOfAsync(string requestId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var spans = Spans.Where(s => Equals(s.GetTagItem(TelemetryTags.RequestId), requestId)).ToList();
            if (spans.Count > 0 || DateTime.UtcNow > deadline)
            {
                return spans;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The measurements of <paramref name="instrument"/> whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public IReadOnlyList<RecordedMeasurement> Of(string instrument, string tag, string value) =>
        Measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault(tag), value)).ToList();

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        Measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, copy));
    }
}

/// <summary>One measurement: the instrument's name, the value, and its tags.</summary>
public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
