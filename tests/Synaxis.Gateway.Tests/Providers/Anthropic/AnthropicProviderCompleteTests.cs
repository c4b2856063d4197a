using System.Net;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.Anthropic.AnthropicHarness;

namespace Synaxis.Gateway.Tests.Providers.Anthropic;

/// <summary>A non-streamed Anthropic message becomes a chat.completion an OpenAI client reads as usual.</summary>
public sealed class AnthropicProviderCompleteTests
{
    private static async Task<(JsonNode Completion, CompletionResult Result)> CompleteAsync(string fixture)
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes(fixture));
        var result = await Provider(handler).CompleteAsync(Call(CompleteRequest), CancellationToken.None);
        Assert.Null(result.Failure);
        return (JsonNode.Parse(result.Json.Span)!, result);
    }

    [Fact]
    public async Task Complete_Text_BecomesTheMessageContentWithUsage()
    {
        var (completion, result) = await CompleteAsync("anthropic/message.json");

        Assert.Equal("chat.completion", completion["object"]!.GetValue<string>());
        Assert.Equal("msg_01EXuhhFC9buDpjCcznFPSDs", completion["id"]!.GetValue<string>());
        Assert.Equal("claude-sonnet-4-20250514", completion["model"]!.GetValue<string>());
        var choice = completion["choices"]![0]!;
        Assert.Equal("assistant", choice["message"]!["role"]!.GetValue<string>());
        Assert.Equal("4200 + 42 = 4242", choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("""{"prompt_tokens":17,"completion_tokens":15,"total_tokens":32,"prompt_tokens_details":{"cached_tokens":0}}""", completion["usage"]!.ToJsonString());
        Assert.Equal(32, result.Usage?.TotalTokens);
        Assert.False(result.Usage?.IsEstimated);
    }

    [Fact]
    public async Task Complete_ToolUse_BecomesToolCallsWithTheInputAsArguments()
    {
        var (completion, _) = await CompleteAsync("anthropic/message-tool-use.json");

        var message = completion["choices"]![0]!["message"]!;
        Assert.Equal("I'll retrieve the secrets for both passwords you provided.", message["content"]!.GetValue<string>());
        var calls = message["tool_calls"]!.AsArray();
        Assert.Equal(2, calls.Count);
        Assert.Equal("toolu_01BUvqBj8Yb34pNAbCJJY1oc", calls[0]!["id"]!.GetValue<string>());
        Assert.Equal("function", calls[0]!["type"]!.GetValue<string>());
        Assert.Equal("secret_retrieval_tool", calls[0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("""{"password":"mellon"}""", calls[0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("""{"password":"radiance"}""", calls[1]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Null(calls[0]!["index"]);
        Assert.Equal("tool_calls", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(525, completion["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Complete_ThinkingAndRedactedThinking_ExposeOnlyTheReadableReasoning()
    {
        var body = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[
              {"type":"thinking","thinking":"Add the units.","signature":"sig"},
              {"type":"redacted_thinking","data":"opaque"},
              {"type":"text","text":"4242"}],
             "stop_reason":"max_tokens","stop_sequence":null,"usage":{"input_tokens":5,"cache_read_input_tokens":7,"output_tokens":3}}
            """u8.ToArray();
        var handler = new ReplayHandler(HttpStatusCode.OK, body);

        var result = await Provider(handler).CompleteAsync(Call(CompleteRequest), CancellationToken.None);
        var completion = JsonNode.Parse(result.Json.Span)!;

        var message = completion["choices"]![0]!["message"]!;
        Assert.Equal("4242", message["content"]!.GetValue<string>());
        Assert.Equal("Add the units.", message["reasoning_content"]!.GetValue<string>());
        Assert.DoesNotContain("opaque", completion.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("length", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(12, result.Usage?.PromptTokens);
        Assert.Equal(7, result.Usage?.PromptTokensDetails?.CachedTokens);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"error","error":{"type":"api_error","message":"x"}}""")]
    public async Task Complete_AnswerThatIsNotAMessage_IsAProtocolError(string body)
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, System.Text.Encoding.UTF8.GetBytes(body));

        var result = await Provider(handler).CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        Assert.Equal(UpstreamFailureKind.ProtocolError, result.Failure?.Kind);
    }
}
