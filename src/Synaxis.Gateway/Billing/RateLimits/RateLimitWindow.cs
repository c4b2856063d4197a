namespace Synaxis.Gateway.Billing.RateLimits;

/// <summary>One limit as OpenAI reports it: the limit, what is left of it, and when it is whole again.</summary>
public readonly record struct RateLimitWindow(long Limit, long Remaining, TimeSpan ResetIn);
