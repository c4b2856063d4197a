using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Routing;

/// <summary>
/// How routing ended: the winning attempt (<see cref="Failure"/> null), the last failed attempt, or no
/// attempt at all because no deployment could take the call. The caller disposes <see cref="Attempt"/>.
/// </summary>
internal readonly record struct RouteResult<TAttempt>(TAttempt? Attempt, UpstreamFailure? Failure)
    where TAttempt : Attempt;
