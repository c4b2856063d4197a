using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Http;

/// <summary>
/// Relays a streamed answer: upstream event → canonical chunk → SSE event → client, one at a time and
/// flushed, never buffered whole. The wait for each upstream event is bounded (first-byte timeout for
/// the first, idle timeout after); the time spent writing to a slow client is not counted against the
/// upstream, and awaiting that write is the backpressure that slows the upstream read.
/// </summary>
public sealed partial class StreamRelay(IOptions<GatewayOptions> options, KeyRotationRetry keyRotation, TimeProvider time, ILogger<StreamRelay> logger)
{
    private readonly TimeSpan _keepAliveInterval = options.Value.KeepAliveInterval;

    /// <summary>Relays the stream; returns an error only while the response has not started, so it can still carry a status.</summary>
    internal async Task<ApiError?> RelayAsync(HttpContext context, IChatProvider provider, ProviderCall call, ChatStreamWriter writer, CallOutcome outcome, CancellationToken cancellationToken)
    {
        var deployment = call.Deployment;
        using var timer = new UpstreamTimer(time, cancellationToken);
        await using var client = new SseResponse(context, time, _keepAliveInterval, cancellationToken);

        timer.Arm(deployment.FirstByteTimeout);
        StreamResult opened;
        try
        {
            // Nothing has reached the client yet, so a retry with a rotated key cannot duplicate output.
            opened = await keyRotation.StreamAsync(provider, call, timer.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (UpstreamErrors.IsTransportFailure(exception) && !timer.ClientAborted)
        {
            opened = StreamResult.Failed(UpstreamErrors.FromException(timer, beforeFirstChunk: true));
        }

        if (opened.Failure is { } refused)
        {
            return await FailAsync(client, writer, refused, outcome, deployment.Name).ConfigureAwait(false);
        }

        await using var chunks = opened.Chunks!.GetAsyncEnumerator(timer.Token);
        await client.StartAsync().ConfigureAwait(false);
        var received = false; // the first wait runs on the first-byte timer armed above, every later one on the idle timer
        var wrote = false;
        while (true)
        {
            if (received)
            {
                timer.Arm(deployment.IdleTimeout);
            }

            UpstreamFailure? broken = null;
            bool more;
            try
            {
                more = await chunks.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (UpstreamErrors.IsTransportFailure(exception) && !timer.ClientAborted)
            {
                more = false;
                broken = UpstreamErrors.FromException(timer, beforeFirstChunk: !received);
            }

            timer.Disarm();
            if (broken is not null)
            {
                return await FailAsync(client, writer, broken, outcome, deployment.Name).ConfigureAwait(false);
            }

            if (!more)
            {
                break;
            }

            received = true;
            var chunk = chunks.Current;
            outcome.Usage = chunk.Usage ?? outcome.Usage;
            if (chunk.Failure is { } failure)
            {
                return await FailAsync(client, writer, failure, outcome, deployment.Name).ConfigureAwait(false);
            }

            await writer.WriteChunkAsync(client, chunk).ConfigureAwait(false);
            if (!wrote)
            {
                wrote = true;
                outcome.TimeToFirstToken = time.GetElapsedTime(outcome.StartTimestamp);
            }
        }

        await writer.WriteDoneAsync(client).ConfigureAwait(false);
        return null;
    }

    private async Task<ApiError?> FailAsync(SseResponse client, ChatStreamWriter writer, UpstreamFailure failure, CallOutcome outcome, string model)
    {
        outcome.Failure = failure.Kind;
        LogStreamFailure(outcome.RequestId, model, failure.Kind, failure.UpstreamStatus, client.HasStarted);
        var error = UpstreamErrors.ToApiError(failure, model);
        if (!client.HasStarted)
        {
            return error;
        }

        await writer.WriteErrorAsync(client, error).ConfigureAwait(false);
        return null;
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning,
        Message = "Stream {RequestId} from deployment {Deployment} failed: {Kind} (upstream status {UpstreamStatus}, response started {Started})")]
    private partial void LogStreamFailure(string requestId, string deployment, UpstreamFailureKind kind, int? upstreamStatus, bool started);
}
