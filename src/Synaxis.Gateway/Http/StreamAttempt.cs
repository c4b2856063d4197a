using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Http;

/// <summary>
/// One streamed call to one deployment, read up to its first chunk for the client and no further: until
/// that chunk is written, nothing of this deployment's answer has reached the client, so a failure here
/// can still go to another deployment without duplicating a word. A successful attempt hands the
/// relay its open stream, its timer and the chunk in hand.
/// </summary>
internal sealed class StreamAttempt : Attempt
{
    private StreamAttempt(ModelDeployment deployment, UpstreamFailure? failure, UpstreamTimer? timer, IAsyncEnumerator<StreamChunk>? chunks)
        : base(deployment, failure)
    {
        Timer = timer;
        Chunks = chunks;
    }

    /// <summary>The call's timer, armed for the next wait; owned by this attempt.</summary>
    public UpstreamTimer? Timer { get; }

    /// <summary>The open stream, positioned on <see cref="First"/> when <see cref="HasFirst"/>.</summary>
    public IAsyncEnumerator<StreamChunk>? Chunks { get; }

    /// <summary>True when a chunk for the client is in hand; false when the stream ended complete before one.</summary>
    public bool HasFirst { get; private init; }

    /// <summary>The first chunk for the client (valid until <see cref="Chunks"/> moves on).</summary>
    public StreamChunk First => Chunks!.Current;

    /// <summary>Usage from chunks read but withheld from the client.</summary>
    public Usage? Usage { get; private init; }

    public static async Task<StreamAttempt> OpenAsync(IChatProvider provider, ProviderCall call, TimeProvider time, TimeSpan firstByteTimeout, CancellationToken cancellationToken)
    {
        var deployment = call.Deployment;
        var timer = new UpstreamTimer(time, cancellationToken, deployment.TotalTimeout);
        IAsyncEnumerator<StreamChunk>? chunks = null;
        var received = false; // the first wait runs on the first-byte timeout, a wait after a withheld chunk on the idle one
        try
        {
            timer.Arm(firstByteTimeout);
            var opened = await provider.StreamAsync(call, timer.Token).ConfigureAwait(false);
            if (opened.Failure is { } refused)
            {
                return await FailedAsync(deployment, refused, timer, chunks).ConfigureAwait(false);
            }

            chunks = opened.Chunks!.GetAsyncEnumerator(timer.Token);
            Usage? usage = null;
            while (true)
            {
                if (received)
                {
                    timer.Arm(deployment.IdleTimeout);
                }

                if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                {
                    timer.Disarm();
                    return new StreamAttempt(deployment, null, timer, chunks) { Usage = usage };
                }

                timer.Disarm();
                received = true;
                var chunk = chunks.Current;
                usage = chunk.Usage ?? usage;
                if (chunk.Failure is { } failure)
                {
                    return await FailedAsync(deployment, failure, timer, chunks).ConfigureAwait(false);
                }

                // The usage-only chunk was requested for metering; the client sees it only if it asked too.
                if (chunk.HasChoices || chunk.Usage is null || call.Request.WantsStreamUsage)
                {
                    return new StreamAttempt(deployment, null, timer, chunks) { HasFirst = true, Usage = usage };
                }
            }
        }
        catch (Exception exception) when (UpstreamErrors.IsTransportFailure(exception) && !timer.ClientAborted)
        {
            return await FailedAsync(deployment, UpstreamErrors.FromException(timer, beforeFirstChunk: !received), timer, chunks).ConfigureAwait(false);
        }
        catch (SecretUnavailableException exception)
        {
            return await FailedAsync(deployment, UpstreamErrors.SecretUnavailable(exception, deployment), timer, chunks).ConfigureAwait(false);
        }
        catch
        {
            await ReleaseAsync(timer, chunks).ConfigureAwait(false);
            throw;
        }
    }

    public override ValueTask DisposeAsync() => ReleaseAsync(Timer, Chunks);

    private static async Task<StreamAttempt> FailedAsync(ModelDeployment deployment, UpstreamFailure failure, UpstreamTimer timer, IAsyncEnumerator<StreamChunk>? chunks)
    {
        // A failed attempt lets go of its upstream at once: the next one may take a while.
        await ReleaseAsync(timer, chunks).ConfigureAwait(false);
        return new StreamAttempt(deployment, failure, null, null);
    }

    private static async ValueTask ReleaseAsync(UpstreamTimer? timer, IAsyncEnumerator<StreamChunk>? chunks)
    {
        try
        {
            if (chunks is not null)
            {
                await chunks.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            timer?.Dispose();
        }
    }
}
