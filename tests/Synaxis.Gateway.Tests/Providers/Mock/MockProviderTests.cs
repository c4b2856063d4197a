using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.Mock;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Tests.Providers.Mock;

/// <summary>The built-in model: deterministic, honest about usage, and paced like a real one.</summary>
public sealed class MockProviderTests
{
    private static readonly TimeSpan FirstTokenDelay = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan TokenDelay = TimeSpan.FromMilliseconds(30);

    [Fact]
    public async Task SameRequest_GivesTheSameTokens()
    {
        var provider = Unpaced();

        var first = await StreamAsync(provider, Request("Tell me a story."));
        var second = await StreamAsync(provider, Request("Tell me a story."));
        var other = await StreamAsync(provider, Request("Something else."));

        Assert.Equal(ContentPieces(first), ContentPieces(second));
        Assert.NotEqual(Text(first), Text(other));
    }

    [Fact]
    public async Task StreamedText_EqualsTheNonStreamedAnswer()
    {
        var provider = Unpaced();

        var streamed = Text(await StreamAsync(provider, Request("Hello?")));
        var completion = await provider.CompleteAsync(Call(Request("Hello?")), CancellationToken.None);

        var message = JsonNode.Parse(completion.Json.Span)!["choices"]![0]!;
        Assert.Equal(message["message"]!["content"]!.GetValue<string>(), streamed);
        Assert.Equal("stop", message["finish_reason"]!.GetValue<string>());
        Assert.Contains("You said: \"Hello?\"", streamed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmallMaxTokens_StopsAtThatManyContentChunks_WithFinishReasonLength()
    {
        var chunks = await StreamAsync(Unpaced(), Request("Hello?", maxTokens: 3));

        Assert.Equal(3, ContentPieces(chunks).Count);
        Assert.Equal("length", FinishReason(chunks));
    }

    [Fact]
    public async Task MaxCompletionTokens_WinsOverMaxTokens()
    {
        var chunks = await StreamAsync(Unpaced(), Request("Hello?", maxTokens: 5, maxCompletionTokens: 2));

        Assert.Equal(2, ContentPieces(chunks).Count);
    }

    [Fact]
    public async Task NoLimit_FinishesWithStop()
    {
        Assert.Equal("stop", FinishReason(await StreamAsync(Unpaced(), Request("Hello?"))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4)]
    public async Task LastChunk_IsUsageOnly_CountingTheContentChunks(int? maxTokens)
    {
        var chunks = await StreamAsync(Unpaced(), Request("Hello?", maxTokens));

        var last = chunks[^1];
        Assert.False(last.HasChoices);
        Assert.Empty(JsonNode.Parse(last.Json)!["choices"]!.AsArray());
        Assert.NotNull(last.Usage);
        Assert.Equal(ContentPieces(chunks).Count, last.Usage.CompletionTokens);
        Assert.True(last.Usage.PromptTokens > 0);
        Assert.Equal(last.Usage.PromptTokens + last.Usage.CompletionTokens, last.Usage.TotalTokens);
        Assert.All(chunks.SkipLast(1), c => Assert.True(c.HasChoices));
    }

    [Fact]
    public async Task StreamedUsage_EqualsTheNonStreamedUsage()
    {
        var provider = Unpaced();

        var streamed = (await StreamAsync(provider, Request("Hello?", 6)))[^1].Usage!;
        var completed = (await provider.CompleteAsync(Call(Request("Hello?", 6)), CancellationToken.None)).Usage!;

        Assert.Equal((streamed.PromptTokens, streamed.CompletionTokens), (completed.PromptTokens, completed.CompletionTokens));
    }

    [Fact]
    public async Task Chunks_AreOpenAIChunks_OfTheDeploymentsModel()
    {
        var chunks = await StreamAsync(Unpaced(), Request("Hello?", 2));

        Assert.All(chunks, c =>
        {
            var chunk = JsonSerializer.Deserialize(c.Json, GatewayJsonContext.Wire.ChatCompletionChunk)!;
            Assert.Equal("chat.completion.chunk", chunk.Object);
            Assert.Equal("chatcmpl-mock-req-1", chunk.Id);
            Assert.Equal("mock-upstream", chunk.Model);
        });
        Assert.Equal("assistant", JsonNode.Parse(chunks[0].Json)!["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_WaitsForTheFirstTokenDelay_ThenTheTokenDelay()
    {
        var time = new FakeTimeProvider();
        var provider = new MockProvider(Options(FirstTokenDelay, TokenDelay), time);
        var result = await provider.StreamAsync(Call(Request("Hello?")), CancellationToken.None);
        await using var chunks = result.Chunks!.GetAsyncEnumerator();

        Assert.True(await chunks.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))); // the role chunk needs no wait

        var firstToken = chunks.MoveNextAsync().AsTask();
        time.Advance(FirstTokenDelay - TimeSpan.FromTicks(1));
        Assert.False(firstToken.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(await firstToken.WaitAsync(TimeSpan.FromSeconds(10)));

        var secondToken = chunks.MoveNextAsync().AsTask();
        time.Advance(TokenDelay - TimeSpan.FromTicks(1));
        Assert.False(secondToken.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(await secondToken.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Complete_WaitsAsLongAsTheStreamWould()
    {
        var time = new FakeTimeProvider();
        var provider = new MockProvider(Options(FirstTokenDelay, TokenDelay), time);

        var completion = provider.CompleteAsync(Call(Request("Hello?", maxTokens: 3)), CancellationToken.None);

        var whole = FirstTokenDelay + (TokenDelay * 2);
        time.Advance(whole - TimeSpan.FromTicks(1));
        Assert.False(completion.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        var result = await completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, result.Usage!.CompletionTokens);
    }

    [Fact]
    public async Task Stream_CancelledWhileWaiting_StopsAtOnce()
    {
        var provider = new MockProvider(Options(FirstTokenDelay, TokenDelay), new FakeTimeProvider());
        using var cancellation = new CancellationTokenSource();
        var result = await provider.StreamAsync(Call(Request("Hello?")), CancellationToken.None);
        await using var chunks = result.Chunks!.GetAsyncEnumerator(cancellation.Token);
        await chunks.MoveNextAsync();

        var waiting = chunks.MoveNextAsync().AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static MockProvider Unpaced() => new(Options(TimeSpan.Zero, TimeSpan.Zero), TimeProvider.System);

    private static IOptions<GatewayOptions> Options(TimeSpan first, TimeSpan between) =>
        Microsoft.Extensions.Options.Options.Create(new GatewayOptions { Mock = new MockOptions { FirstTokenDelay = first, TokenDelay = between } });

    private static ChatCompletionRequest Request(string text, int? maxTokens = null, int? maxCompletionTokens = null) => new()
    {
        Model = "mock",
        Messages = [new ChatMessage { Role = "user", Content = MessageContent.FromText(text) }],
        MaxTokens = maxTokens,
        MaxCompletionTokens = maxCompletionTokens,
    };

    private static ProviderCall Call(ChatCompletionRequest request) => new(request, new ModelDeployment
    {
        Name = "mock",
        Provider = MockProvider.ProviderName,
        UpstreamModel = "mock-upstream",
        OwnedBy = "synaxis",
        FirstByteTimeout = TimeSpan.FromSeconds(30),
        IdleTimeout = TimeSpan.FromSeconds(30),
    }, "req-1");

    private static async Task<List<Chunk>> StreamAsync(MockProvider provider, ChatCompletionRequest request)
    {
        var result = await provider.StreamAsync(Call(request), CancellationToken.None);
        var chunks = new List<Chunk>();
        await foreach (var chunk in result.Chunks!)
        {
            chunks.Add(new Chunk(chunk.Json.ToArray(), chunk.HasChoices, chunk.Usage));
        }

        return chunks;
    }

    private static List<string> ContentPieces(List<Chunk> chunks) =>
        chunks.Select(c => JsonNode.Parse(c.Json)!["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>())
            .Where(content => !string.IsNullOrEmpty(content))
            .Select(content => content!)
            .ToList();

    private static string Text(List<Chunk> chunks) => string.Concat(ContentPieces(chunks));

    private static string? FinishReason(List<Chunk> chunks) =>
        chunks.Select(c => JsonNode.Parse(c.Json)!["choices"]!.AsArray().FirstOrDefault()?["finish_reason"]?.GetValue<string>()).Last(r => r is not null);

    private sealed record Chunk(byte[] Json, bool HasChoices, Usage? Usage);
}
