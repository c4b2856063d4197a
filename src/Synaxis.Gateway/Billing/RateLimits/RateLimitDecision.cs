namespace Synaxis.Gateway.Billing.RateLimits;

/// <summary>
/// Whether a call may go on under its key's rate limits, and what to tell the caller in the
/// <c>x-ratelimit-*</c> headers (null windows are limits the key does not have).
/// </summary>
/// <param name="Admitted">False when a limit is reached: the call gets 429.</param>
/// <param name="RetryAfter">When refused, how long until the exhausted window has room again.</param>
/// <param name="Requests">The requests-per-minute window after this call.</param>
/// <param name="Tokens">The tokens-per-minute window after this call.</param>
/// <param name="ReservedTokens">Tokens taken for this call, replaced by the real count at <see cref="IRateLimiter.Settle"/>.</param>
/// <param name="Exhausted">When refused, which limit: <c>requests</c> or <c>tokens</c>.</param>
public sealed record RateLimitDecision(
    bool Admitted,
    TimeSpan RetryAfter,
    RateLimitWindow? Requests,
    RateLimitWindow? Tokens,
    int ReservedTokens,
    string? Exhausted = null)
{
    /// <summary>The start of the minute window an admitted call was counted in: unused tokens go back only to that window.</summary>
    public DateTimeOffset? WindowStart { get; init; }

    /// <summary>For callers without rate limits.</summary>
    public static readonly RateLimitDecision Unlimited = new(true, TimeSpan.Zero, null, null, 0);
}
