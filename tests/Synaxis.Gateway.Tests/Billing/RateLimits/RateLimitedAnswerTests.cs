using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Metering;
using Synaxis.Gateway.Billing.RateLimits;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Http.Messages;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Tests.Billing.RateLimits;

/// <summary>The handlers' admission step (CallMeter through CallMetering) and the 429 each endpoint's writer makes of it.</summary>
public sealed class RateLimitedAnswerTests
{
    private static readonly CatalogModel Model = new()
    {
        Name = "gpt-4",
        OwnedBy = "synaxis",
        Deployments =
        [
            new ModelDeployment
            {
                Name = "gpt-4", Provider = "mock", UpstreamModel = "gpt-4", OwnedBy = "synaxis",
                FirstByteTimeout = TimeSpan.FromSeconds(30), IdleTimeout = TimeSpan.FromSeconds(30),
            },
        ],
    };

    private readonly FakeTimeProvider _time = new(LimiterStorage.MinuteStart.AddSeconds(50.2));

    [Fact]
    public async Task Admitted_Calls_CarryTheRateLimitHeaders()
    {
        var meter = await MeterAsync();
        var context = NewContext();

        var refused = await AdmitAsync(meter, context, LimiterStorage.Issued(2, 10_000), maxCompletionTokens: 100);

        Assert.Null(refused);
        var headers = context.Response.Headers;
        Assert.Equal("2", headers["x-ratelimit-limit-requests"]);
        Assert.Equal("1", headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("9.8s", headers["x-ratelimit-reset-requests"]);
        Assert.Equal("10000", headers["x-ratelimit-limit-tokens"]);
        Assert.Equal("9890", headers["x-ratelimit-remaining-tokens"]); // 10 prompt tokens + 100 completion tokens reserved
        Assert.Equal("9.8s", headers["x-ratelimit-reset-tokens"]);
    }

    [Fact]
    public async Task Over_The_Request_Limit_ChatCompletions_Answer429_OpenAIShaped_WithRetryAfterAndHeaders()
    {
        var meter = await MeterAsync();
        var caller = LimiterStorage.Issued(1, null);
        await AdmitAsync(meter, NewContext(), caller, 10);
        var context = NewContext();

        var refused = await AdmitAsync(meter, context, caller, 10);
        await ChatDialect.OpenAI.WriteErrorAsync(context.Response, refused!, CancellationToken.None);

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("10", context.Response.Headers.RetryAfter); // 9.8 s to the next minute, in whole seconds rounded up
        Assert.Equal("0", context.Response.Headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("1", context.Response.Headers["x-ratelimit-limit-requests"]);
        var error = Body(context).RootElement.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("requests", error.GetProperty("type").GetString());
        Assert.Contains("Rate limit reached for requests per minute (limit: 1)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_The_Token_Limit_Messages_Answer429_AnthropicShaped_WithRetryAfterAndHeaders()
    {
        var meter = await MeterAsync();
        var context = NewContext();

        var refused = await AdmitAsync(meter, context, LimiterStorage.Issued(5, 1000), maxCompletionTokens: 4096);
        await AnthropicDialect.Instance.WriteErrorAsync(context.Response, refused!, CancellationToken.None);

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("10", context.Response.Headers.RetryAfter);
        Assert.Equal("1000", context.Response.Headers["x-ratelimit-limit-tokens"]);
        Assert.Equal("5", context.Response.Headers["x-ratelimit-remaining-requests"]); // refused for tokens: the request is given back
        var body = Body(context).RootElement;
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("tokens per minute (limit: 1000)", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_The_Limit_Embeddings_Answer429_OpenAIShaped_WithRetryAfterAndHeaders()
    {
        var meter = await MeterAsync();
        var caller = LimiterStorage.Issued(1, null);
        await AdmitAsync(meter, NewContext(), caller, 0);
        var context = NewContext();

        var refused = await AdmitAsync(meter, context, caller, 0);
        await HttpResponses.WriteErrorAsync(context.Response, refused!, CancellationToken.None);

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("10", context.Response.Headers.RetryAfter);
        Assert.Equal("0", context.Response.Headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("rate_limit_exceeded", Body(context).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Configured_Keys_AreNeverLimited_AndGetNoHeaders()
    {
        var meter = await MeterAsync();
        var context = NewContext();

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await AdmitAsync(meter, context, Caller.Configured, 10));
        }

        Assert.False(context.Response.Headers.ContainsKey("x-ratelimit-limit-requests"));
    }

    private async Task<CallMeter> MeterAsync()
    {
        var tables = await LimiterStorage.NewTablesAsync();
        var options = Options.Create(new GatewayOptions { Billing = new BillingOptions { ConnectionString = "UseDevelopmentStorage=true" } });
        var services = new ServiceCollection().AddSingleton<IRateLimiter>(new TableRateLimiter(tables, _time)).BuildServiceProvider();
        return new CallMeter(services, options, _time, NullLogger<CallMeter>.Instance);
    }

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static ValueTask<ApiError?> AdmitAsync(CallMeter meter, HttpContext context, Caller caller, int? maxCompletionTokens)
    {
        var outcome = new CallOutcome("req-" + Guid.NewGuid().ToString("N")[..8], 0) { Caller = caller };
        return CallMetering.AdmitAsync(meter, context.Response, outcome, Model, promptTokens: 10, maxCompletionTokens, CancellationToken.None);
    }

    private static JsonDocument Body(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonDocument.Parse(context.Response.Body);
    }
}
