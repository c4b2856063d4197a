using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Routing;

/// <summary>What one request has done so far while looking for a deployment to answer it.</summary>
internal class RouteState(CatalogModel model, string requestId, long deadline)
{
    public CatalogModel Model { get; } = model;

    public string RequestId { get; } = requestId;

    /// <summary>The <see cref="TimeProvider"/> timestamp after which no attempt starts.</summary>
    public long Deadline { get; } = deadline;

    /// <summary>Deployments called at least once: the next attempt prefers one that was not.</summary>
    public HashSet<string> Tried { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Deployments this request must not call again (their failure would only repeat).</summary>
    public HashSet<string> Excluded { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Deployments whose breaker refused the current attempt (a probe is in flight); cleared per attempt.</summary>
    public HashSet<string> Skipped { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Upstream calls made so far, including a repeat after a key was re-read.</summary>
    public int Attempts { get; set; }

    /// <summary>Attempts that went to a deployment this request had not called yet, after the first.</summary>
    public int Fallbacks { get; set; }

    /// <summary>Why the last attempt failed; null after a success.</summary>
    public UpstreamFailure? LastFailure { get; set; }

    /// <summary>True when the last attempt found no deployment it could call.</summary>
    public bool FoundNone { get; set; }

    /// <summary>The wait before the next attempt; null leaves it to the backoff.</summary>
    public TimeSpan? PlannedWait { get; set; }

    public bool IsCandidate(ModelDeployment deployment) => !Excluded.Contains(deployment.Name) && !Skipped.Contains(deployment.Name);
}

/// <summary>The request's state plus the attempt it makes and the last attempt made.</summary>
internal sealed class RouteState<TAttempt>(CatalogModel model, string requestId, long deadline, AttemptCall<TAttempt> call)
    : RouteState(model, requestId, deadline)
    where TAttempt : Attempt
{
    public AttemptCall<TAttempt> Call { get; } = call;

    /// <summary>The last attempt; the caller owns it once routing ends.</summary>
    public TAttempt? Last { get; set; }
}
