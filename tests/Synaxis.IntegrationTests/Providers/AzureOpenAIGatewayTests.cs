using System.Text.Json.Nodes;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Providers;

/// <summary>A model served by Azure OpenAI, through the real gateway, against Azure's recorded bytes.</summary>
public sealed class AzureOpenAIGatewayTests
{
    private const string IncludeUsage = "azure/chat-stream-v1-include-usage.sse";

    private static string Body(bool stream, string extra = "") =>
        $$"""{"model":"{{ProviderModels.Azure}}","messages":[{"role":"user","content":"What is 4200 + 42?"}],"stream":{{(stream ? "true" : "false")}}{{extra}}}""";

    [Fact]
    public async Task Stream_ReachesTheClientByteForByte_WithoutThePromptFilterChunkOrUnaskedUsage()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Replay(IncludeUsage);

        using var response = await test.PostChatAsync(Body(stream: true));
        var lines = await SseReader.ReadAllAsync(response);

        var recorded = File.ReadLines(Fixtures.PathOf(IncludeUsage)).Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
        Assert.Equal(recorded.Skip(1).SkipLast(1), lines.Where(l => l.Data is not null && !l.IsDone).Select(l => l.Data));
        Assert.True(lines[^1].IsDone);
    }

    [Fact]
    public async Task Stream_UsageChunk_ReachesAClientThatAskedForIt()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Replay(IncludeUsage);

        using var response = await test.PostChatAsync(Body(stream: true, ""","stream_options":{"include_usage":true}"""));
        var lines = await SseReader.ReadAllAsync(response);

        var usage = lines[^2].Json!["usage"]!;
        Assert.Equal((15, 12, 27), (usage["prompt_tokens"]!.GetValue<int>(), usage["completion_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Stream_GoesToTheDeploymentWithTheApiKey_AndNeverForwardsTheClientsKey()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Replay(IncludeUsage);

        using var response = await test.PostChatAsync(Body(stream: true));
        await SseReader.ReadAllAsync(response);

        var sent = Assert.Single(test.Upstream.Requests);
        Assert.Equal("/openai/deployments/gpt-4o-prod/chat/completions", sent.Path);
        Assert.Equal("?api-version=2024-10-21", sent.Query);
        Assert.Equal(ProviderModels.AzureKey, sent.Headers["api-key"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.True(sent.Json["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Stream_FromAnApiVersionWithoutStreamUsage_GivesAClientThatAskedAnEstimate()
    {
        await using var test = await ProviderModels.StartAllAsync(s => s["Synaxis:Models:1:ApiVersion"] = "2024-06-01");
        test.Upstream.Behavior = Respond.Replay("azure/chat-stream-text-content-filter.sse");

        using var response = await test.PostChatAsync(Body(stream: true, ""","stream_options":{"include_usage":true}"""));
        var lines = await SseReader.ReadAllAsync(response);

        Assert.Equal("Hallo Welt!", string.Concat(lines.Select(l => l.Content)));
        Assert.Empty(lines[^2].Json!["choices"]!.AsArray());
        Assert.Equal(3, lines[^2].Json!["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.False(test.Upstream.Requests.Single().Json.ContainsKey("stream_options"));
    }

    [Fact]
    public async Task FilteredPrompt_Is400ContentFilter()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Json("azure/error-400-content-filter.json");

        using var response = await test.PostChatAsync(Body(stream: true));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(("content_filter", "prompt"), (error["code"]!.GetValue<string>(), error["param"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RateLimited_Is429_WithAzuresWaitInRetryAfter()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Json("azure/error-429-rate-limit.json");

        using var response = await test.PostChatAsync(Body(stream: false));

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(22), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Complete_PassesTheAnswerOn()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Json("openai/chat-completion.json");

        using var response = await test.PostChatAsync(Body(stream: false));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(Fixtures.Text("openai/chat-completion.json"), await response.Content.ReadAsStringAsync());
        Assert.Equal("?api-version=2024-10-21", test.Upstream.Requests.Single().Query);
    }
}
