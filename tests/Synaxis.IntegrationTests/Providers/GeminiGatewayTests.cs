using System.Text.Json.Nodes;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Providers;

/// <summary>A model served by Gemini, through the real gateway, against Gemini's recorded bytes.</summary>
public sealed class GeminiGatewayTests
{
    private const string Text = "gemini/stream-generate-content-text.sse";

    private static string Body(bool stream, string extra = "") =>
        $$"""{"model":"{{ProviderModels.Gemini}}","messages":[{"role":"system","content":"Show your work."},{"role":"user","content":"What is 4200 + 42?"}],"stream":{{(stream ? "true" : "false")}}{{extra}}}""";

    [Fact]
    public async Task Stream_ReachesTheClientAsOpenAIChunks_WithTheRecordedTextAndDone()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = ProviderModels.GeminiReplay(Text, "gemini/generate-content.json");

        using var response = await test.PostChatAsync(Body(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var chunks = lines.Where(l => l.Json is not null).Select(l => l.Json!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Equal(RecordedGeminiText(Text), string.Concat(lines.Select(l => l.Content)));
        Assert.Equal("stop", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.DoesNotContain(chunks, c => c["usage"] is not null); // not asked for
        Assert.True(lines[^1].IsDone);
    }

    [Fact]
    public async Task Stream_GoesToStreamGenerateContentWithTheKeyInAHeader()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = ProviderModels.GeminiReplay(Text, "gemini/generate-content.json");

        using var response = await test.PostChatAsync(Body(stream: true));
        await SseReader.ReadAllAsync(response);

        var sent = Assert.Single(test.Upstream.Requests);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent", sent.Path);
        Assert.Equal("?alt=sse", sent.Query);
        Assert.Equal(ProviderModels.GeminiKey, sent.Headers["x-goog-api-key"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.Equal("Show your work.", sent.Json["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_UsageChunk_ReachesAClientThatAskedForIt()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = ProviderModels.GeminiReplay(Text, "gemini/generate-content.json");

        using var response = await test.PostChatAsync(Body(stream: true, ""","stream_options":{"include_usage":true}"""));
        var lines = await SseReader.ReadAllAsync(response);

        var usage = lines[^2].Json!["usage"]!;
        Assert.Equal((13, 138, 151), (usage["prompt_tokens"]!.GetValue<int>(), usage["completion_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>()));
        Assert.Equal(75, usage["completion_tokens_details"]!["reasoning_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stream_CutBeforeTheFinish_EndsWithAnErrorEventAndNoDone()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Replay(Text, cutAfterEvents: 1);

        using var response = await test.PostChatAsync(Body(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.True(lines[^1].IsError);
        Assert.Equal("upstream_reset", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(lines, l => l.IsDone);
    }

    [Fact]
    public async Task Complete_IsAChatCompletion()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = ProviderModels.GeminiReplay(Text, "gemini/generate-content.json");

        using var response = await test.PostChatAsync(Body(stream: false));
        var completion = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", test.Upstream.Requests.Single().Path);
        Assert.StartsWith("To calculate 4200 + 42:", completion["choices"]![0]!["message"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(115, completion["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("gemini/error-429-resource-exhausted.json", 429, "rate_limit_exceeded")]
    [InlineData("gemini/error-400-api-key-invalid-on-stream-endpoint.json", 502, "upstream_authentication_failed")]
    [InlineData("gemini/error-404-model-not-found.json", 404, "not_found")]
    public async Task Refusals_BecomeOpenAIErrors(string fixture, int status, string code)
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Json(fixture);

        using var response = await test.PostChatAsync(Body(stream: true));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.DoesNotContain(ProviderModels.GeminiKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The answer text of a recorded Gemini stream: every non-thought text part in order.</summary>
    public static string RecordedGeminiText(string fixture) => string.Concat(
        File.ReadLines(Fixtures.PathOf(fixture)).Where(l => l.StartsWith("data: ", StringComparison.Ordinal))
            .SelectMany(l => JsonNode.Parse(l[6..])!["candidates"]![0]!["content"]!["parts"]!.AsArray())
            .Where(p => p!["text"] is not null && p["thought"] is null)
            .Select(p => p!["text"]!.GetValue<string>()));
}
