using System.Diagnostics;
using System.Net;
using Synaxis.Gateway.Telemetry;
using Synaxis.IntegrationTests.Billing.Keys;
using Synaxis.IntegrationTests.Routing;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Telemetry;

/// <summary>
/// What a call leaves behind for telemetry: exactly one span with the GenAI and synaxis attributes, and the
/// counters and histograms moved by the call's figures. Each test serves a model name of its own, so the
/// measurements it reads are its own even with other tests calling at the same time.
/// </summary>
public sealed class CallTelemetryTests
{
    private static string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task StreamedChat_EndsOneSpanWithModelDeploymentTokensAndTimeToFirstToken_AndMovesTheMetrics()
    {
        using var telemetry = new TelemetryRecorder();
        var model = UniqueName("tel-stream");
        await using var test = await GatewayUnderTest.StartAsync(s =>
        {
            s["Synaxis:Models:0:Name"] = model;
            s["Synaxis:Models:0:InputPricePerMillion"] = "2.5";
            s["Synaxis:Models:0:OutputPricePerMillion"] = "10";
        });
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-include-usage.sse");

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true).Replace("gpt-4", model, StringComparison.Ordinal));
        await SseReader.ReadAllAsync(response);
        var span = Assert.Single(await telemetry.SpansOfAsync(RequestIdOf(response)));

        Assert.Equal($"chat {model}", span.DisplayName);
        Assert.Equal("chat", span.GetTagItem(TelemetryTags.OperationName));
        Assert.Equal(model, span.GetTagItem(TelemetryTags.RequestModel));
        Assert.Equal("gpt-4o", span.GetTagItem(TelemetryTags.ResponseModel));
        Assert.Equal("openai", span.GetTagItem(TelemetryTags.ProviderName));
        Assert.Equal(model, span.GetTagItem(TelemetryTags.Deployment));
        Assert.Equal("configured", span.GetTagItem(TelemetryTags.KeyId));
        Assert.Equal(200, span.GetTagItem(TelemetryTags.StatusCode));
        Assert.Equal(true, span.GetTagItem(TelemetryTags.Streamed));
        Assert.Equal(false, span.GetTagItem(TelemetryTags.Aborted));
        Assert.Equal(1, span.GetTagItem(TelemetryTags.Attempts));
        Assert.Equal(0, span.GetTagItem(TelemetryTags.Fallbacks));
        Assert.True((int)span.GetTagItem(TelemetryTags.InputTokens)! > 0);
        Assert.True((int)span.GetTagItem(TelemetryTags.OutputTokens)! > 0);
        Assert.True((double)span.GetTagItem(TelemetryTags.TimeToFirstTokenMs)! > 0);
        Assert.NotEqual(ActivityStatusCode.Error, span.Status);

        var requests = Assert.Single(telemetry.Of("synaxis.gateway.requests", TelemetryTags.RequestModel, model));
        Assert.Equal("2xx", requests.Tags[TelemetryTags.StatusClass]);
        Assert.Equal(true, requests.Tags[TelemetryTags.Streamed]);
        var tokens = telemetry.Of("synaxis.gateway.tokens", TelemetryTags.RequestModel, model);
        Assert.Equal(span.GetTagItem(TelemetryTags.InputTokens), (int)tokens.Single(t => Equals(t.Tags[TelemetryTags.TokenType], "input")).Value);
        Assert.Equal(span.GetTagItem(TelemetryTags.OutputTokens), (int)tokens.Single(t => Equals(t.Tags[TelemetryTags.TokenType], "output")).Value);
        var cost = (double)span.GetTagItem(TelemetryTags.Cost)!;
        Assert.Equal(((int)span.GetTagItem(TelemetryTags.InputTokens)! * 2.5 + (int)span.GetTagItem(TelemetryTags.OutputTokens)! * 10) / 1_000_000, cost, 12);
        Assert.Equal(cost, Assert.Single(telemetry.Of("synaxis.gateway.cost", TelemetryTags.RequestModel, model)).Value);
        Assert.Single(telemetry.Of("synaxis.gateway.time_to_first_token", TelemetryTags.RequestModel, model));
        Assert.Single(telemetry.Of("synaxis.gateway.request.duration", TelemetryTags.RequestModel, model));
        var attempt = Assert.Single(telemetry.Of("synaxis.gateway.upstream.duration", TelemetryTags.Deployment, model));
        Assert.Equal("ok", attempt.Tags[TelemetryTags.AttemptOutcome]);
    }

    [Fact]
    public async Task WholeAnswerChat_EndsOneSpanNotStreamed_AndCountsItsTokens()
    {
        using var telemetry = new TelemetryRecorder();
        var model = UniqueName("tel-whole");
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:Models:0:Name"] = model);
        test.Upstream.Behavior = Respond.Json("openai/chat-completion.json");

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: false).Replace("gpt-4", model, StringComparison.Ordinal));
        await response.Content.ReadAsStringAsync();
        var span = Assert.Single(await telemetry.SpansOfAsync(RequestIdOf(response)));

        Assert.Equal(false, span.GetTagItem(TelemetryTags.Streamed));
        Assert.Equal(200, span.GetTagItem(TelemetryTags.StatusCode));
        Assert.True((int)span.GetTagItem(TelemetryTags.OutputTokens)! > 0);
        Assert.Single(telemetry.Of("synaxis.gateway.requests", TelemetryTags.RequestModel, model));
        Assert.Equal(2, telemetry.Of("synaxis.gateway.tokens", TelemetryTags.RequestModel, model).Count);
        Assert.Empty(telemetry.Of("synaxis.gateway.time_to_first_token", TelemetryTags.RequestModel, model)); // only streams have one
    }

    [Fact]
    public async Task UpstreamError_MarksTheSpanAsAnErrorWithItsKind_AndCountsA5xx()
    {
        using var telemetry = new TelemetryRecorder();
        var model = UniqueName("tel-error");
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:Models:0:Name"] = model);
        test.Upstream.Behavior = Faults.ServerError(500);

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: false).Replace("gpt-4", model, StringComparison.Ordinal));
        var span = Assert.Single(await telemetry.SpansOfAsync(RequestIdOf(response)));

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("server_error", span.GetTagItem(TelemetryTags.ErrorType));
        Assert.Contains(telemetry.Of("synaxis.gateway.requests", TelemetryTags.RequestModel, model), m => Equals(m.Tags[TelemetryTags.StatusClass], "5xx"));
    }

    [Fact]
    public async Task CallRefusedForItsKey_IsCountedUnderTheCatalogModel_AsA4xx()
    {
        using var telemetry = new TelemetryRecorder();
        var model = UniqueName("tel-refused");
        await using var test = await KeysGateway.StartAsync(s => s["Synaxis:Models:0:Name"] = model);
        var key = (await test.IssueAsync("""{"owner":"acme","allowed_models":["gpt-3.5-turbo"]}"""))["key"]!.GetValue<string>();

        using var response = await test.ChatAsync(key, model);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var span = Assert.Single(await telemetry.SpansOfAsync(RequestIdOf(response)));

        Assert.Equal(403, span.GetTagItem(TelemetryTags.StatusCode));
        var requests = Assert.Single(telemetry.Of("synaxis.gateway.requests", TelemetryTags.RequestModel, model));
        Assert.Equal("4xx", requests.Tags[TelemetryTags.StatusClass]);
        Assert.Empty(telemetry.Of("synaxis.gateway.tokens", TelemetryTags.RequestModel, model));
    }

    [Fact]
    public async Task UnknownModel_IsNoMetricSeries_ButItsSpanNamesWhatWasAsked()
    {
        using var telemetry = new TelemetryRecorder();
        var asked = UniqueName("no-such-model");
        await using var test = await GatewayUnderTest.StartAsync();

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: false).Replace("gpt-4", asked, StringComparison.Ordinal));
        var span = Assert.Single(await telemetry.SpansOfAsync(RequestIdOf(response)));

        Assert.Equal(404, span.GetTagItem(TelemetryTags.StatusCode));
        Assert.Equal(asked, span.GetTagItem(TelemetryTags.RequestModel));
        Assert.DoesNotContain(telemetry.Measurements, m => m.Tags.Values.Contains(asked));
    }

    [Fact]
    public async Task StreamFallback_CountsOneFallbackToTheNextDeployment_AndNotesItOnTheSpan()
    {
        using var telemetry = new TelemetryRecorder();
        var first = UniqueName("tel-fb-d0");
        var second = UniqueName("tel-fb-d1");
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s[RoutedGateway.Key(0, "Name")] = first;
            s[RoutedGateway.Key(1, "Name")] = second;
            s[RoutedGateway.Key(1, "Priority")] = "2";
        });
        test.Upstreams[0].Behavior = Faults.ServerError(503);

        using var response = await test.PostChatAsync(stream: true);
        await SseReader.ReadAllAsync(response);
        var span = Assert.Single(await telemetry.SpansOfAsync(RequestIdOf(response)));

        Assert.Equal(second, span.GetTagItem(TelemetryTags.Deployment));
        Assert.Equal(2, span.GetTagItem(TelemetryTags.Attempts));
        Assert.Equal(1, span.GetTagItem(TelemetryTags.Fallbacks));
        var fallback = Assert.Single(telemetry.Of("synaxis.gateway.retries", TelemetryTags.Deployment, second));
        Assert.Equal("fallback", fallback.Tags[TelemetryTags.RetryKind]);
        Assert.Equal(1, fallback.Value);
        Assert.Equal("server_error", Assert.Single(telemetry.Of("synaxis.gateway.upstream.duration", TelemetryTags.Deployment, first)).Tags[TelemetryTags.AttemptOutcome]);
        Assert.Equal("ok", Assert.Single(telemetry.Of("synaxis.gateway.upstream.duration", TelemetryTags.Deployment, second)).Tags[TelemetryTags.AttemptOutcome]);
    }

    [Fact]
    public async Task CircuitBreaker_OpeningAndClosing_CountsEachTransition_AndTheOpenGaugeReturnsToZero()
    {
        using var telemetry = new TelemetryRecorder();
        var failing = UniqueName("tel-cb-d0");
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s[RoutedGateway.Key(0, "Name")] = failing;
            s[RoutedGateway.Key(1, "Name")] = UniqueName("tel-cb-d1");
            s[RoutedGateway.Key(1, "Priority")] = "2";
            s["Synaxis:Routing:CircuitBreaker:MinimumThroughput"] = "2";
            s["Synaxis:Routing:CircuitBreaker:FailureRatio"] = "0.5";
            s["Synaxis:Routing:CircuitBreaker:SamplingDuration"] = "00:00:10";
            s["Synaxis:Routing:CircuitBreaker:BreakDuration"] = "00:00:01";
        });
        test.Upstreams[0].Behavior = Faults.ServerError(500);
        for (var i = 0; i < 3; i++)
        {
            using var response = await test.PostChatAsync(stream: true);
            await SseReader.ReadAllAsync(response);
        }

        var openWhileFailing = telemetry.Of("synaxis.gateway.circuit.open", TelemetryTags.Deployment, failing).Sum(m => m.Value);
        test.Upstreams[0].Behavior = Respond.Synthetic(5, TimeSpan.Zero, TimeSpan.Zero, RoutedGateway.Label(0));
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using (var probe = await test.PostChatAsync(stream: true))
        {
            await SseReader.ReadAllAsync(probe);
        }

        var transitions = telemetry.Of("synaxis.gateway.circuit.transitions", TelemetryTags.Deployment, failing).Select(m => (string)m.Tags[TelemetryTags.CircuitState]!).ToList();
        Assert.Equal(1, openWhileFailing);
        Assert.Equal(["open", "half_open", "closed"], transitions);
        Assert.Equal(0, telemetry.Of("synaxis.gateway.circuit.open", TelemetryTags.Deployment, failing).Sum(m => m.Value));
    }

    [Fact]
    public async Task Embeddings_EndOneSpanOfOperationEmbeddings()
    {
        using var telemetry = new TelemetryRecorder();
        var model = UniqueName("tel-embed");
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:Models:0:Name"] = model);
        test.Upstream.Behavior = Respond.Json("openai/embeddings-base64.json");

        using var response = await test.Client.PostAsync("v1/embeddings", GatewayUnderTest.Json($$"""{"model":"{{model}}","input":"The food was delicious","encoding_format":"base64"}"""));
        var span = Assert.Single(await telemetry.SpansOfAsync(RequestIdOf(response)));

        Assert.Equal("embeddings", span.GetTagItem(TelemetryTags.OperationName));
        Assert.Equal(200, span.GetTagItem(TelemetryTags.StatusCode));
        Assert.Equal("embeddings", Assert.Single(telemetry.Of("synaxis.gateway.requests", TelemetryTags.RequestModel, model)).Tags[TelemetryTags.OperationName]);
    }

    private static string RequestIdOf(HttpResponseMessage response) => response.Headers.GetValues("x-request-id").Single();
}
