namespace Synaxis.Gateway.Billing.RateLimits;

/// <summary>
/// Requests-per-minute and tokens-per-minute limits of issued keys, held across every instance of the gateway.
/// A call is admitted (one request, and its estimated tokens) before it is routed; its real token count is
/// settled when it ends.
/// </summary>
public interface IRateLimiter
{
    /// <summary>Takes one request and <paramref name="estimatedTokens"/> from the key's current windows, or refuses.</summary>
    ValueTask<RateLimitDecision> AcquireAsync(Caller caller, int estimatedTokens, CancellationToken cancellationToken);

    /// <summary>Replaces the admitted call's estimate with the tokens it really used.</summary>
    void Settle(Caller caller, RateLimitDecision admitted, int actualTokens);
}
