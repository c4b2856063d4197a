using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.OpenAICompatible;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Http;

/// <summary>
/// Relays a streamed answer: upstream event → canonical chunk → SSE event → client, one at a time and
/// flushed, never buffered whole; events that arrived together share one flush. The router finds a
/// deployment whose stream has produced its first chunk; writing that chunk commits the call to it,
/// and from then on a failure is an SSE error event, never a switch to another deployment that would
/// repeat text. The wait for each later event is bounded by the idle timeout; time spent writing to a
/// slow client is not counted against the upstream, and awaiting that write is the backpressure that
/// slows the upstream read.
/// </summary>
public sealed partial class StreamRelay(
    DeploymentRouter router,
    ProviderRegistry providers,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<StreamRelay> logger)
{
    private readonly TimeSpan _keepAliveInterval = options.Value.KeepAliveInterval;

    /// <summary>Relays the stream; returns an error only while the response has not started, so it can still carry a status.</summary>
    internal async Task<ApiError?> RelayAsync(HttpContext context, CatalogModel model, ChatCompletionRequest request, ChatStreamWriter writer, CallOutcome outcome, CancellationToken cancellationToken)
    {
        await using var client = new SseResponse(context, time, _keepAliveInterval, cancellationToken);

        // Keep-alives flow to the client while attempts, backoffs and fallbacks run.
        var routed = await router.RouteAsync<StreamAttempt>(model, outcome.RequestId,
            (deployment, firstByte, token) => StreamAttempt.OpenAsync(providers.Get(deployment.Provider), new ProviderCall(request, deployment, outcome.RequestId), time, firstByte, token),
            cancellationToken).ConfigureAwait(false);
        await using var stream = routed.Attempt;
        if (outcome.RecordRoute(stream?.Deployment, routed.Failure, model.Name) is { } error)
        {
            if (!client.HasStarted)
            {
                DeploymentHeader.Set(context.Response, stream?.Deployment);
                return error;
            }

            await writer.WriteErrorAsync(client, error).ConfigureAwait(false);
            return null;
        }

        // Committed: from here on this deployment's answer is the client's.
        var deployment = stream!.Deployment;
        var timer = stream.Timer!;
        var chunks = stream.Chunks!;
        outcome.Usage = stream.Usage ?? outcome.Usage;
        if (await CallMetering.WaitRecordedAsync(outcome).ConfigureAwait(false) is { } unrecorded)
        {
            if (!client.HasStarted)
            {
                return unrecorded;
            }

            await writer.WriteErrorAsync(client, unrecorded).ConfigureAwait(false);
            return null;
        }

        await client.StartAsync(deployment.Name).ConfigureAwait(false);
        outcome.Answered = true;
        if (!stream.HasFirst)
        {
            await writer.WriteDoneAsync(client).ConfigureAwait(false);
            return null;
        }

        Deliver(outcome, stream.First);
        await writer.WriteChunkAsync(client, stream.First).ConfigureAwait(false);
        outcome.TimeToFirstToken = time.GetElapsedTime(outcome.StartTimestamp);
        while (true)
        {
            var read = chunks.MoveNextAsync();
            if (!read.IsCompleted)
            {
                // Nothing more in hand: what was written goes out now, and then the wait for the upstream is timed.
                var flushed = false;
                try
                {
                    await client.FlushAsync().ConfigureAwait(false);
                    flushed = true;
                }
                finally
                {
                    timer.Arm(deployment.IdleTimeout);
                    if (!flushed)
                    {
                        await EndReadAsync(read).ConfigureAwait(false);
                    }
                }
            }

            UpstreamFailure? broken = null;
            bool more;
            try
            {
                more = await read.ConfigureAwait(false);
            }
            catch (Exception exception) when (UpstreamErrors.IsTransportFailure(exception) && !timer.ClientAborted)
            {
                more = false;
                broken = UpstreamErrors.FromException(timer, beforeFirstChunk: false);
            }
            finally
            {
                timer.Disarm();
            }

            if (broken is not null)
            {
                return await FailAsync(client, writer, broken, outcome, model.Name, deployment.Name).ConfigureAwait(false);
            }

            if (!more)
            {
                break;
            }

            var chunk = chunks.Current;
            outcome.Usage = chunk.Usage ?? outcome.Usage;
            if (chunk.Failure is { } failure)
            {
                return await FailAsync(client, writer, failure, outcome, model.Name, deployment.Name).ConfigureAwait(false);
            }

            Deliver(outcome, chunk);
            using (client.HoldFlushes())
            {
                // Flushed before the next wait, so events that arrived together (the last text, the finish and usage
                // chunks) go out in one write instead of one each.
                await writer.WriteChunkAsync(client, chunk).ConfigureAwait(false);
            }
        }

        await writer.WriteDoneAsync(client).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// A flush failed (the client is gone) while a read is in flight: the client's abort cancels the read, which must
    /// end before the stream is let go. Its own failure adds nothing to the flush's.
    /// </summary>
    private static async ValueTask EndReadAsync(ValueTask<bool> read)
    {
        try
        {
            await read.ConfigureAwait(false);
        }
        catch (Exception exception) when (UpstreamErrors.IsTransportFailure(exception))
        {
        }
    }

    /// <summary>Counts the chunk's text before it goes out, for a metered call only: a stream the client cuts short is billed for what it got.</summary>
    private static void Deliver(CallOutcome outcome, StreamChunk chunk)
    {
        if (outcome.Metered is not null && chunk.HasChoices)
        {
            outcome.DeliveredCharacters += CompletionScanner.CountAnswerCharacters(chunk.Json.Span);
        }
    }

    private async Task<ApiError?> FailAsync(SseResponse client, ChatStreamWriter writer, UpstreamFailure failure, CallOutcome outcome, string model, string deployment)
    {
        outcome.Failure = failure.Kind;
        LogStreamFailure(outcome.RequestId, deployment, failure.Kind, failure.UpstreamStatus);
        await writer.WriteErrorAsync(client, UpstreamErrors.ToApiError(failure, model)).ConfigureAwait(false);
        return null;
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning,
        Message = "Stream {RequestId} from deployment {Deployment} failed after its first chunk: {Kind} (upstream status {UpstreamStatus})")]
    private partial void LogStreamFailure(string requestId, string deployment, UpstreamFailureKind kind, int? upstreamStatus);
}
