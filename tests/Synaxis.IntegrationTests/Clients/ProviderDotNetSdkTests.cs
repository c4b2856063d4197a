using System.ClientModel;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using Synaxis.IntegrationTests.Providers;

namespace Synaxis.IntegrationTests.Clients;

/// <summary>
/// The official OpenAI .NET SDK against the gateway, for a model served by OpenAI, by Azure OpenAI and by
/// Gemini: streamed and whole answers, tool calls, embeddings. The SDK changes only in endpoint, key and model.
/// </summary>
public sealed class ProviderDotNetSdkTests
{
    public static TheoryData<string> Providers => ["openai", "azure", "gemini"];

    private static readonly ChatTool SecretTool = ChatTool.CreateFunctionTool(
        "secret_retrieval_tool", "Looks up a secret by its password.",
        BinaryData.FromString("""{"type":"object","properties":{"password":{"type":"string"}},"required":["password"]}"""));

    private static OpenAIClientOptions Options(GatewayUnderTest test) => new() { Endpoint = new Uri(test.Gateway.BaseUrl, "v1") };

    private static ChatClient Chat(GatewayUnderTest test, ProviderCase provider) =>
        new(provider.Model, new ApiKeyCredential(GatewayUnderTest.ClientKey), Options(test));

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Streaming_ReceivesTheRecordedText_AFinishReason_AndUsage(string name)
    {
        var provider = ProviderCase.For(name);
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = provider.Upstream;

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat(test, provider).CompleteChatStreamingAsync([new UserChatMessage("What is 4200 + 42?")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        Assert.Equal(provider.StreamedText, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.True(usage?.TotalTokenCount > 0, "the SDK asks for usage and gets it");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task NonStreaming_ReceivesTheRecordedAnswer(string name)
    {
        var provider = ProviderCase.For(name);
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = provider.Upstream;

        ChatCompletion completion = await Chat(test, provider).CompleteChatAsync([new UserChatMessage("What is 4200 + 42?")]);

        Assert.Equal(provider.CompletedText, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StreamingTools_ReassembleTheRecordedCalls(string name)
    {
        var provider = ProviderCase.For(name);
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = provider.Upstream;
        var options = new ChatCompletionOptions { Tools = { SecretTool } };

        var calls = new SortedDictionary<int, StreamedCall>();
        ChatFinishReason? finish = null;
        await foreach (var update in Chat(test, provider).CompleteChatStreamingAsync([new UserChatMessage("Open both secrets.")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                var known = calls.TryGetValue(call.Index, out var c) ? c : calls[call.Index] = new StreamedCall(call.ToolCallId, call.FunctionName);
                known.Arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(provider.StreamedToolCalls, calls.Values.Select(c => (c.Name!, ProviderCase.Normalise(c.Arguments.ToString()))));
        Assert.All(calls.Values, c => Assert.False(string.IsNullOrEmpty(c.Id)));
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task NonStreamingTools_ReceiveTheRecordedCalls(string name)
    {
        var provider = ProviderCase.For(name);
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = provider.Upstream;

        ChatCompletion completion = await Chat(test, provider).CompleteChatAsync([new UserChatMessage("Open both secrets.")], new ChatCompletionOptions { Tools = { SecretTool } });

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal(provider.CompletedToolCalls, completion.ToolCalls.Select(c => (c.FunctionName, ProviderCase.Normalise(c.FunctionArguments.ToString()))));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Embeddings_ComeBackAsTheVectorsTheUpstreamSent(string name)
    {
        var provider = ProviderCase.For(name);
        await using var test = await ProviderModels.StartAllAsync();
        var expected = EmbeddingsUpstream.Answer(test.Upstream, name);
        var client = new EmbeddingClient(provider.Model, new ApiKeyCredential(GatewayUnderTest.ClientKey), Options(test));

        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("The food was delicious");

        Assert.Equal(expected, embedding.ToFloats().ToArray());
    }

    private sealed record StreamedCall(string? Id, string? Name)
    {
        public StringBuilder Arguments { get; } = new();
    }
}
