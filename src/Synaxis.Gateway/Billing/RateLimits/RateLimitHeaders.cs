using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Synaxis.Gateway.Billing.RateLimits;

/// <summary>
/// Writes a key's rate-limit windows the way OpenAI does: <c>x-ratelimit-limit-requests</c>,
/// <c>x-ratelimit-remaining-requests</c>, <c>x-ratelimit-reset-requests</c> (a duration such as <c>1s</c>,
/// <c>6m0s</c> or <c>120ms</c>) and the same three for tokens. Limits the key does not have are not mentioned.
/// </summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, RateLimitDecision decision)
    {
        Write(response, "requests", decision.Requests);
        Write(response, "tokens", decision.Tokens);
    }

    private static void Write(HttpResponse response, string unit, RateLimitWindow? window)
    {
        if (window is not { } w)
        {
            return;
        }

        response.Headers["x-ratelimit-limit-" + unit] = w.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining-" + unit] = Math.Max(0, w.Remaining).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset-" + unit] = FormatDuration(w.ResetIn);
    }

    /// <summary>OpenAI's duration format: <c>120ms</c> below a second, else minutes and seconds such as <c>6m0s</c> or <c>1.5s</c>.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(duration.TotalMilliseconds)}ms");
        }

        var minutes = (int)duration.TotalMinutes;
        var seconds = Math.Round(duration.TotalSeconds - minutes * 60, 1);
        return minutes > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m{seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
    }
}
