using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Clients;

/// <summary>The official OpenAI .NET SDK, pointed at the gateway, changed only in endpoint, key and model.</summary>
public sealed class OpenAIDotNetSdkTests
{
    private static ChatClient ClientFor(GatewayUnderTest test, string model = "gpt-4") =>
        new(model, new ApiKeyCredential(GatewayUnderTest.ClientKey), new OpenAIClientOptions { Endpoint = new Uri(test.Gateway.BaseUrl, "v1") });

    [Fact]
    public async Task Sdk_Streaming_ReceivesRecordedTextAndUsage()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-include-usage.sse");
        var client = ClientFor(test);

        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("What is 4200 + 1?")], new ChatCompletionOptions()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(SseReader.RecordedText("openai/chat-stream-include-usage.sse"), text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(16, usage?.InputTokenCount);
        Assert.Equal(10, usage?.OutputTokenCount);
    }

    [Fact]
    public async Task Sdk_NonStreaming_ReceivesRecordedCompletion()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        var client = ClientFor(test);

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Hello")]);

        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.TotalTokenCount > 0);
    }

    [Fact]
    public async Task Sdk_StreamingFromMockModel_Works()
    {
        await using var test = await GatewayUnderTest.StartAsync(s =>
        {
            s["Synaxis:Models:1:Name"] = "synaxis-mock";
            s["Synaxis:Models:1:Provider"] = "mock";
            s["Synaxis:Mock:FirstTokenDelay"] = "00:00:00";
            s["Synaxis:Mock:TokenDelay"] = "00:00:00.001";
        });
        var client = ClientFor(test, "synaxis-mock");

        var text = new System.Text.StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("ping")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Contains("You said: \"ping\"", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sdk_UnknownModel_SurfacesAs404()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        var client = ClientFor(test, "gpt-9");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal(404, error.Status);
        Assert.Contains("gpt-9", error.Message, StringComparison.Ordinal);
    }
}
