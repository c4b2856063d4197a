using System.Net;
using System.Text.Json.Nodes;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Providers;

/// <summary>
/// A model served by the Anthropic provider, end to end: the real gateway on 127.0.0.1, a fake Anthropic
/// replaying recorded streams byte for byte, and a plain HTTP client reading OpenAI-format answers.
/// </summary>
public sealed class AnthropicGatewayTests
{
    private static Task<GatewayUnderTest> StartAsync(Action<Dictionary<string, string?>>? configure = null) =>
        GatewayUnderTest.StartAsync(s =>
        {
            AnthropicModel.Configure(s);
            configure?.Invoke(s);
        });

    [Theory]
    [InlineData("anthropic/messages-stream-text.sse", "4200 + 42 = 4242", "stop")]
    [InlineData("anthropic/messages-stream-max-tokens.sse", null, "length")]
    [InlineData("anthropic/messages-stream-redacted-thinking.sse", null, "stop")]
    public async Task Stream_RecordedAnthropicStream_ReachesTheClientAsOpenAIChunksAndDone(string fixture, string? text, string finishReason)
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Replay(fixture, betweenDelay: TimeSpan.FromMilliseconds(2));

        using var response = await test.PostChatAsync(AnthropicModel.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        var recorded = string.Concat(File.ReadLines(Fixtures.PathOf(fixture)).Where(l => l.StartsWith("data: ", StringComparison.Ordinal))
            .Select(l => JsonNode.Parse(l[6..])!).Where(e => e["delta"]?["type"]?.GetValue<string>() == "text_delta")
            .Select(e => e["delta"]!["text"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(text ?? recorded, string.Concat(lines.Select(l => l.Content)));
        Assert.Equal(recorded, string.Concat(lines.Select(l => l.Content)));
        Assert.Equal(finishReason, lines[^2].Json!["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.True(lines[^1].IsDone);
        Assert.DoesNotContain(lines, l => l.Json?["usage"] is not null); // the client did not ask for usage
    }

    [Fact]
    public async Task Stream_ClientAsksForUsage_GetsAnthropicsCountsInTheLastChunk()
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Replay("anthropic/messages-stream-text.sse");

        using var response = await test.PostChatAsync(AnthropicModel.ChatBody(stream: true, ""","stream_options":{"include_usage":true}"""));
        var lines = await SseReader.ReadAllAsync(response);

        var usage = lines[^2].Json!;
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal("""{"prompt_tokens":17,"completion_tokens":15,"total_tokens":32,"prompt_tokens_details":{"cached_tokens":0}}""", usage["usage"]!.ToJsonString());
        Assert.Contains(test.Gateway.Logs.Lines, l => l.Contains("promptTokens=17 completionTokens=15", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_UpstreamRequest_IsAnthropicsFormatWithKeyAndVersion()
    {
        await using var test = await StartAsync(s => s["Synaxis:Models:0:MaxOutputTokens"] = "321");
        test.Upstream.Behavior = Respond.Replay("anthropic/messages-stream-text.sse");

        using var response = await test.PostChatAsync(AnthropicModel.ChatBody(stream: true));
        await SseReader.ReadAllAsync(response);

        var sent = Assert.Single(test.Upstream.Requests);
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal(AnthropicModel.Key, sent.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.Equal("""{"model":"claude-sonnet-4-20250514","messages":[{"role":"user","content":[{"type":"text","text":"What is 4200 + 42?"}]}],"max_tokens":321,"stream":true}""", sent.Body);
    }

    [Fact]
    public async Task Stream_ToolUse_ReachesTheClientAsOpenAIToolCalls()
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Replay("anthropic/messages-stream-tool-use-parallel.sse");

        using var response = await test.PostChatAsync(AnthropicModel.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        var calls = lines.Select(l => l.Json?["choices"]?.AsArray().FirstOrDefault()?["delta"]?["tool_calls"]?[0]).OfType<JsonNode>().ToList();
        var first = calls.Where(c => c["index"]!.GetValue<int>() == 0).ToList();
        Assert.Equal("toolu_015cUijgET79LXjgeYQerN2h", first[0]["id"]!.GetValue<string>());
        Assert.Equal("""{"password": "mellon"}""", string.Concat(first.Select(c => c["function"]!["arguments"]!.GetValue<string>())));
        Assert.Equal("""{"password": "radiance"}""", string.Concat(calls.Where(c => c["index"]!.GetValue<int>() == 1).Select(c => c["function"]!["arguments"]!.GetValue<string>())));
        Assert.Equal("tool_calls", lines[^2].Json!["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_OverloadedMidStream_EndsWithAnErrorEventAndNoDone()
    {
        await using var test = await StartAsync();
        var text = SseFixture.SplitEvents(Fixtures.Bytes("anthropic/messages-stream-text.sse"));
        var overloaded = File.ReadAllText(Fixtures.PathOf("anthropic/messages-stream-error-overloaded.sse"));
        test.Upstream.Behavior = Respond.RawStream([.. text.Take(3).Select(e => System.Text.Encoding.UTF8.GetString(e)), overloaded]);

        using var response = await test.PostChatAsync(AnthropicModel.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal("4200 + 42 =", string.Concat(lines.Select(l => l.Content)));
        Assert.True(lines[^1].IsError);
        Assert.Equal("Overloaded", lines[^1].Json!["error"]!["message"]!.GetValue<string>());
        Assert.Equal("overloaded_error", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(lines, l => l.IsDone);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(6, true)]
    [InlineData(8, false)]
    public async Task Stream_CutByTheUpstream_EndsWithAnErrorEventAndNoDone(int events, bool reset)
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Replay("anthropic/messages-stream-tool-use-parallel.sse", cutAfterEvents: events, abortAtCut: reset);

        using var response = await test.PostChatAsync(AnthropicModel.ChatBody(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.True(lines[^1].IsError, "a cut stream ends with an error event");
        Assert.Equal("upstream_reset", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(lines, l => l.IsDone);
        Assert.DoesNotContain(lines, l => l.Json?["choices"]?.AsArray().FirstOrDefault()?["finish_reason"] is JsonValue);
    }

    [Fact]
    public async Task NonStreamed_Message_IsAChatCompletion()
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Json("anthropic/message.json");

        using var response = await test.Client.PostAsync("v1/chat/completions", GatewayUnderTest.Json(AnthropicModel.ChatBody(stream: false)));
        var completion = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4200 + 42 = 4242", completion["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(32, completion["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Equal("application/json", Assert.Single(test.Upstream.Requests).Headers["Accept"]);
    }

    [Theory]
    [InlineData("anthropic/error-429-rate-limit.json", 429, "rate_limit_exceeded")]
    [InlineData("anthropic/error-529-overloaded.json", 503, "upstream_overloaded")]
    public async Task Upstream_RateLimitedOrOverloaded_GivesOpenAIStatusWithRetryAfter(string fixture, int expected, string code)
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Json(fixture, headers: ("retry-after", "17"));

        using var response = await test.PostChatAsync(AnthropicModel.ChatBody(stream: true));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(17), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Upstream_RefusesTheKey_Gives502WithoutTheKey()
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Json("anthropic/error-401-authentication-error.json");

        using var response = await test.PostChatAsync(AnthropicModel.ChatBody(stream: false));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_authentication_failed", JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(AnthropicModel.Key, body, StringComparison.Ordinal);
        Assert.DoesNotContain(test.Gateway.Logs.Lines, l => l.Contains(AnthropicModel.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upstream_UnknownModel_Gives404WithAnthropicsExplanation()
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Json("anthropic/error-404-not-found-model.json");

        using var response = await test.PostChatAsync(AnthropicModel.ChatBody(stream: false));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model: this-model-does-not-exist-12345", error["message"]!.GetValue<string>());
        Assert.Equal("not_found_error", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_AnthropicCannotHonour_Gives400NamingTheFieldWithoutCallingIt()
    {
        await using var test = await StartAsync();

        using var response = await test.PostChatAsync(AnthropicModel.ChatBody(stream: true, ""","n":3"""));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("n", error["param"]!.GetValue<string>());
        Assert.Empty(test.Upstream.Requests);
    }
}
