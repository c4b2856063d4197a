using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Synaxis.Gateway.Providers;

/// <summary>
/// Finds how long an upstream asks us to wait: <c>Retry-After</c> (seconds or a date),
/// <c>retry-after-ms</c>, OpenAI's <c>x-ratelimit-reset-*</c> durations ("6m0s", "12ms"), and, as a last
/// resort, the "try again in 579ms" / "retry after 22 seconds" wording of the error message.
/// </summary>
public static partial class RetryAfterParser
{
    public static TimeSpan? Parse(HttpResponseHeaders headers, string? message, DateTimeOffset now)
    {
        if (headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        TimeSpan? longest = null;
        foreach (var name in (ReadOnlySpan<string>)["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"])
        {
            if (headers.TryGetValues(name, out var values) && ParseGoDuration(values.FirstOrDefault()) is { } reset && (longest is null || reset > longest))
            {
                longest = reset;
            }
        }

        return longest ?? ParseMessage(message);
    }

    /// <summary>Parses durations such as <c>1s</c>, <c>12ms</c>, <c>6m0s</c>, <c>1h2m3.5s</c>.</summary>
    public static TimeSpan? ParseGoDuration(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var matches = DurationPart().Matches(value.Trim());
        if (matches.Count == 0 || matches.Sum(m => m.Length) != value.Trim().Length)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match match in matches)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += match.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "us" or "µs" => TimeSpan.FromMicroseconds(amount),
                _ => TimeSpan.FromTicks((long)(amount / 100)),
            };
        }

        return total;
    }

    private static TimeSpan? ParseMessage(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var match = MessageHint().Match(message);
        if (!match.Success)
        {
            return null;
        }

        // "579ms", "12m34s" and "1h2m3.5s" are Go durations; "22 seconds" and "500 milliseconds" are words.
        if (ParseGoDuration(match.Groups["go"].Value) is { } duration)
        {
            return duration;
        }

        var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value.StartsWith('m') ? TimeSpan.FromMilliseconds(amount) : TimeSpan.FromSeconds(amount);
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)")]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"(?:try again in|retry after)\s+(?:(?<go>(?:\d+(?:\.\d+)?(?:ms|h|m|s))+)\b|(?<amount>\d+(?:\.\d+)?)\s*(?<unit>milliseconds?|secs?|seconds?)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex MessageHint();
}
