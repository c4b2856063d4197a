using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http.Reports;

/// <summary>
/// The query of a usage request: <c>start</c> and <c>end</c> (UTC days, <c>YYYY-MM-DD</c>, inclusive; by default the
/// current month up to today; at most <see cref="MaxDays"/> days) and <c>format=csv</c> (or <c>Accept: text/csv</c>).
/// </summary>
public sealed record UsageQuery(DateOnly Start, DateOnly End, bool Csv)
{
    public const int MaxDays = 366;

    public static (UsageQuery? Query, ApiError? Error) Read(HttpRequest request, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var start = new DateOnly(today.Year, today.Month, 1);
        var end = today;
        if (!Day(request, "start", ref start, out var error) || !Day(request, "end", ref end, out error))
        {
            return (null, error);
        }

        if (end < start)
        {
            return (null, ApiError.InvalidValue("end", "'end' must not be before 'start'."));
        }

        if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            return (null, ApiError.InvalidValue("end", $"A usage query covers at most {MaxDays} days."));
        }

        var format = request.Query["format"].ToString();
        if (format.Length > 0 && format is not ("csv" or "json"))
        {
            return (null, ApiError.InvalidValue("format", "'format' must be 'json' or 'csv'."));
        }

        var csv = format == "csv" || (format.Length == 0 && request.Headers[HeaderNames.Accept].ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        return (new UsageQuery(start, end, csv), null);
    }

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool Day(HttpRequest request, string name, ref DateOnly day, out ApiError? error)
    {
        error = null;
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            error = ApiError.InvalidValue(name, $"'{name}' must be a date as YYYY-MM-DD (UTC), e.g. 2026-11-01.");
            return false;
        }

        return true;
    }
}
