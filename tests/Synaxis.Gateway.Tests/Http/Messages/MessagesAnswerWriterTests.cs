using System.Text.Json.Nodes;
using Synaxis.Gateway.Http.Messages;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Http.Messages;

/// <summary>A recorded chat.completion, written as an Anthropic message.</summary>
public sealed class MessagesAnswerWriterTests
{
    [Fact]
    public void Completion_BecomesAMessageWithATextBlockStopReasonAndUsage()
    {
        var recorded = JsonNode.Parse(Fixtures.Text("openai/chat-completion.json"))!;

        var message = JsonNode.Parse(MessagesAnswerWriter.Write(Fixtures.Bytes("openai/chat-completion.json"), "m"))!;

        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Equal("assistant", message["role"]!.GetValue<string>());
        Assert.Equal(recorded["id"]!.GetValue<string>(), message["id"]!.GetValue<string>());
        Assert.Equal(recorded["model"]!.GetValue<string>(), message["model"]!.GetValue<string>());
        Assert.Equal(recorded["choices"]![0]!["message"]!["content"]!.GetValue<string>(), message["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", message["stop_reason"]!.GetValue<string>());
        Assert.True(message.AsObject().TryGetPropertyValue("stop_sequence", out var stopSequence) && stopSequence is null);
        Assert.Equal(recorded["usage"]!["completion_tokens"]!.GetValue<int>(), message["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.Equal(recorded["usage"]!["prompt_tokens"]!.GetValue<int>(), message["usage"]!["input_tokens"]!.GetValue<int>() + message["usage"]!["cache_read_input_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void ToolCalls_BecomeToolUseBlocksWithParsedInput()
    {
        var recorded = JsonNode.Parse(Fixtures.Text("openai/chat-completion-tool-calls.json"))!["choices"]![0]!["message"]!["tool_calls"]!.AsArray();

        var message = JsonNode.Parse(MessagesAnswerWriter.Write(Fixtures.Bytes("openai/chat-completion-tool-calls.json"), "m"))!;

        var uses = message["content"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "tool_use").ToList();
        Assert.Equal(recorded.Select(c => c!["id"]!.GetValue<string>()), uses.Select(u => u!["id"]!.GetValue<string>()));
        Assert.Equal(recorded.Select(c => JsonNode.Parse(c!["function"]!["arguments"]!.GetValue<string>())!.ToJsonString()), uses.Select(u => u!["input"]!.ToJsonString()));
        Assert.Equal("tool_use", message["stop_reason"]!.GetValue<string>());
    }
}
