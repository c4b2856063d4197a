using System.Text.Json.Nodes;
using Synaxis.Gateway.Providers;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Providers;

/// <summary>Every way an upstream says how long to wait, most precise first.</summary>
public sealed class RetryAfterParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 27, 6, 51, 22, TimeSpan.Zero);

    [Fact]
    public void RetryAfterSeconds_IsTheWait()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), Parse(("Retry-After", "120")));
    }

    [Fact]
    public void RetryAfterDate_IsTheTimeUntilThatDate()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Parse(("Retry-After", Now.AddSeconds(30).ToString("R"))));
    }

    [Fact]
    public void RetryAfterDateInThePast_IsNoWait()
    {
        Assert.Equal(TimeSpan.Zero, Parse(("Retry-After", Now.AddMinutes(-1).ToString("R"))));
    }

    [Fact]
    public void RetryAfterMs_IsTheWait_AndWinsOverRetryAfter()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), Parse(("retry-after-ms", "250"), ("Retry-After", "1")));
    }

    [Fact]
    public void RetryAfter_WinsOverRateLimitResetHeaders()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Parse(("Retry-After", "2"), ("x-ratelimit-reset-requests", "6m0s")));
    }

    [Theory]
    [InlineData("6m0s", "12ms", 360_000)]
    [InlineData("12ms", "1s", 1_000)]
    [InlineData("1s", "0s", 1_000)]
    [InlineData("12ms", "0s", 12)]
    public void RateLimitResetHeaders_TheLongestWins(string requests, string tokens, int milliseconds)
    {
        var wait = Parse(("x-ratelimit-reset-requests", requests), ("x-ratelimit-reset-tokens", tokens));

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), wait);
    }

    [Fact]
    public void OneRateLimitResetHeader_IsEnough()
    {
        Assert.Equal(TimeSpan.FromSeconds(20), Parse(("x-ratelimit-reset-tokens", "20s")));
    }

    [Fact]
    public void RateLimitResetHeader_WinsOverTheMessage()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), Parse("Please try again in 579ms.", ("x-ratelimit-reset-tokens", "1s")));
    }

    [Fact]
    public void OpenAIMessage_TryAgainInMilliseconds()
    {
        var message = JsonNode.Parse(Fixtures.Text("openai/error-429-rate-limit-exceeded.json"))!["error"]!["message"]!.GetValue<string>();

        Assert.Equal(TimeSpan.FromMilliseconds(579), Parse(message));
    }

    [Theory]
    [InlineData("Please try again in 1.242s.", 1_242)]
    [InlineData("Please try again in 20s.", 20_000)]
    [InlineData("please TRY AGAIN IN 3 seconds", 3_000)]
    public void Message_TryAgainInSeconds(string message, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Parse(message));
    }

    [Fact]
    public void AzureMessage_RetryAfterSeconds()
    {
        var message = JsonNode.Parse(Fixtures.Text("azure/error-429-rate-limit.json"))!["error"]!["message"]!.GetValue<string>();

        Assert.Equal(TimeSpan.FromSeconds(22), Parse(message));
    }

    [Fact]
    public void Message_TryAgainInMillisecondsSpelledOut()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), Parse("Please try again in 500 milliseconds."));
    }

    [Fact]
    public void Message_TryAgainInMinutesAndSeconds()
    {
        Assert.Equal(new TimeSpan(0, 12, 34), Parse("Rate limit reached for model `openai/gpt-oss-120b` on requests per day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 12m34s."));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Rate limit reached.")]
    [InlineData("try again later")]
    public void NothingToGoBy_IsNull(string? message)
    {
        Assert.Null(Parse(message));
    }

    [Theory]
    [InlineData("retry-after-ms", "soon")]
    [InlineData("retry-after-ms", "-5")]
    [InlineData("x-ratelimit-reset-requests", "six minutes")]
    [InlineData("x-ratelimit-reset-requests", "6m0s later")]
    public void UnreadableHeader_IsSkipped(string name, string value)
    {
        Assert.Null(Parse((name, value)));
    }

    [Theory]
    [InlineData("1s", 10_000_000L)]
    [InlineData("12ms", 120_000L)]
    [InlineData("6m0s", 3_600_000_000L)]
    [InlineData("1h2m3.5s", 37_235_000_000L)]
    [InlineData("0s", 0L)]
    [InlineData("500us", 5_000L)]
    [InlineData("500µs", 5_000L)]
    [InlineData(" 2s ", 20_000_000L)]
    public void ParseGoDuration_ReadsGoDurations(string value, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), RetryAfterParser.ParseGoDuration(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("5x")]
    [InlineData("1s junk")]
    [InlineData("10")]
    public void ParseGoDuration_RefusesAnythingElse(string? value)
    {
        Assert.Null(RetryAfterParser.ParseGoDuration(value));
    }

    private static TimeSpan? Parse(params (string Name, string Value)[] headers) => Parse(null, headers);

    private static TimeSpan? Parse(string? message, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return RetryAfterParser.Parse(response.Headers, message, Now);
    }
}
