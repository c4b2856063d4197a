using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// One call to one deployment, up to the moment the gateway commits to it (the first byte of the
/// answer goes to the client). A failed attempt may be followed by another; the winner is kept open
/// and handed to whoever answers the client, who disposes it.
/// </summary>
internal abstract class Attempt(ModelDeployment deployment, UpstreamFailure? failure) : IAsyncDisposable
{
    public ModelDeployment Deployment { get; } = deployment;

    /// <summary>Null when the deployment answered and the gateway may commit to it.</summary>
    public UpstreamFailure? Failure { get; } = failure;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Makes one attempt on <paramref name="deployment"/>, waiting at most <paramref name="firstByteTimeout"/> for its first byte.</summary>
internal delegate Task<TAttempt> AttemptCall<TAttempt>(ModelDeployment deployment, TimeSpan firstByteTimeout, CancellationToken cancellationToken)
    where TAttempt : Attempt;
