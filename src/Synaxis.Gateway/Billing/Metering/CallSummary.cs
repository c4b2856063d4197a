using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Billing.Metering;

/// <summary>How a metered call ended, as its usage record will say.</summary>
/// <param name="Deployment">The deployment that served it (its name), when one did.</param>
/// <param name="Usage">Tokens used, reported or estimated; null when no upstream answered.</param>
/// <param name="Status">The HTTP status the client got (499 when it left first).</param>
/// <param name="Aborted">The client left before the answer was complete.</param>
/// <param name="TimeToFirstToken">Time to the first token (or the whole answer), when there was one.</param>
/// <param name="Duration">The whole call.</param>
public sealed record CallSummary(string? Deployment, Usage? Usage, int Status, bool Aborted, TimeSpan? TimeToFirstToken, TimeSpan Duration);
