using Synaxis.Gateway.Billing.RateLimits;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Billing.Metering;

/// <summary>The meter's answer before a call is routed: go on (with the call to complete at the end), or the error to answer with.</summary>
/// <param name="Call">The admitted call; complete it exactly once when the call ends. Null when refused.</param>
/// <param name="Error">402, 403 or 429 when refused.</param>
/// <param name="Limits">The key's rate-limit windows, for the <c>x-ratelimit-*</c> headers (on 429 too).</param>
public readonly record struct Admission(MeteredCall? Call, ApiError? Error, RateLimitDecision Limits);
