using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Clients;

/// <summary>The seed's JavaScript examples, run by node against the running gateway, changed only in URL and key.</summary>
public sealed class SeedJavaScriptTests
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(60);

    private static Task<GatewayUnderTest> StartWithMockAsync() => GatewayUnderTest.StartAsync(s =>
    {
        // The seed asks for gpt-4; here the built-in mock serves it, so turns can be told apart.
        s["Synaxis:Models:0:Provider"] = "mock";
        s["Synaxis:Mock:FirstTokenDelay"] = "00:00:00.020";
        s["Synaxis:Mock:TokenDelay"] = "00:00:00.002";
    });

    [Fact]
    public async Task Seed_BasicStreamingExample_PrintsTheWholeAnswer()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-text.sse", betweenDelay: TimeSpan.FromMilliseconds(2));
        var script = SeedScript.Adapt(SeedScript.Extract("Basic Streaming Example"), test.Gateway.BaseUrl, GatewayUnderTest.ClientKey);

        var (exit, stdout, stderr) = await SeedScript.RunNodeAsync(script, NodeTimeout);

        Assert.True(exit == 0, stderr);
        Assert.Equal(SseReader.RecordedText("openai/chat-stream-text.sse") + "\n[Stream completed]\n", stdout);
    }

    [Fact]
    public async Task Seed_StreamingChat_CarriesTheConversationAcrossThreeTurns()
    {
        await using var test = await StartWithMockAsync();
        var script = SeedScript.Adapt(SeedScript.Extract("Advanced Streaming with UI Updates"), test.Gateway.BaseUrl, GatewayUnderTest.ClientKey);

        var (exit, stdout, stderr) = await SeedScript.RunNodeAsync(script, NodeTimeout);

        Assert.True(exit == 0, stderr);
        Assert.Contains("User: Hello! How are you?\nAssistant: Hello from the Synaxis mock model. You said: \"Hello! How are you?\". This is turn 1 ", stdout, StringComparison.Ordinal);
        Assert.Contains("User: Tell me a joke.\nAssistant: Hello from the Synaxis mock model. You said: \"Tell me a joke.\". This is turn 2 ", stdout, StringComparison.Ordinal);
        Assert.Contains("User: What can you do?\nAssistant: Hello from the Synaxis mock model. You said: \"What can you do?\". This is turn 3 ", stdout, StringComparison.Ordinal);
        Assert.EndsWith("to get real answers.\n\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_StreamWithRetry_WaitsOutA429ThenStreams()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        var calls = 0;
        test.Upstream.Behavior = (context, request) => Interlocked.Increment(ref calls) == 1
            ? Respond.Json("openai/error-429-rate-limit-exceeded.json", 429, ("retry-after", "1"))(context, request)
            : Respond.Replay("openai/chat-stream-text.sse")(context, request);
        var script = SeedScript.Adapt(SeedScript.Extract("Streaming with Error Handling"), test.Gateway.BaseUrl, GatewayUnderTest.ClientKey);

        var (exit, stdout, stderr) = await SeedScript.RunNodeAsync(script, NodeTimeout);

        Assert.True(exit == 0, stderr);
        Assert.Equal("Rate limited. Waiting 1 seconds...\n" + SseReader.RecordedText("openai/chat-stream-text.sse"), stdout);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Seed_StreamWithProgress_CountsTokensAndCompletes()
    {
        await using var test = await StartWithMockAsync();
        var script = SeedScript.Adapt(SeedScript.Extract("Streaming with Progress Indicator"), test.Gateway.BaseUrl, GatewayUnderTest.ClientKey);

        var (exit, stdout, stderr) = await SeedScript.RunNodeAsync(script, NodeTimeout);

        Assert.True(exit == 0, stderr);
        // The seed prints its "Completed" line after every read; its last one counts every token. A read within the
        // millisecond the seed started (the role chunk comes at once) divides 0 tokens by 0 s and prints NaN.
        var text = System.Text.RegularExpressions.Regex.Replace(stdout, @"\n\nCompleted: \d+ tokens in [\d.]+s \(([\d.]+|NaN) tokens/s\)\n", "");
        Assert.StartsWith("Streaming response...\n\nHello from the Synaxis mock model.", text, StringComparison.Ordinal);
        Assert.Contains("You said: \"Write a detailed explanation of how neural networks work.\"", text, StringComparison.Ordinal);
        var counted = System.Text.RegularExpressions.Regex.Matches(stdout, @"Completed: (\d+) tokens")[^1].Groups[1].Value;
        Assert.Contains(test.Gateway.Logs.Lines, l => l.Contains($"completionTokens={counted} ", StringComparison.Ordinal));
        Assert.Contains("tokens/s]", stderr, StringComparison.Ordinal); // the progress line every 10 tokens
    }
}
