using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Http.Messages;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Tests.Http.Messages;

/// <summary>An Anthropic Messages request becomes the canonical request every provider understands.</summary>
public sealed class MessagesRequestReaderTests
{
    private static JsonObject Canonical(string anthropic)
    {
        var error = MessagesRequestReader.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(anthropic)), out var request);
        Assert.Null(error);
        return JsonSerializer.SerializeToNode(request, GatewayJsonContext.Wire.ChatCompletionRequest)!.AsObject();
    }

    private static ApiError Refused(string anthropic)
    {
        var error = MessagesRequestReader.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(anthropic)), out var request);
        Assert.Null(request);
        return error!;
    }

    [Fact]
    public void Simple_SystemStringAndUserText_MapOneToOne()
    {
        var request = Canonical("""{"model":"gpt-4","max_tokens":100,"system":"Be brief.","messages":[{"role":"user","content":"Hello"}],"stream":true,"temperature":0.5,"top_p":0.8,"stop_sequences":["END"],"metadata":{"user_id":"u-7"}}""");

        Assert.Equal("""{"model":"gpt-4","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello"}],"stream":true,"max_tokens":100,"temperature":0.5,"top_p":0.8,"stop":["END"],"user":"u-7"}""",
            request.ToJsonString());
    }

    [Fact]
    public void SystemBlocksAndImages_BecomeTextAndImageUrlParts()
    {
        var request = Canonical("""
            {"model":"gpt-4","max_tokens":100,"system":[{"type":"text","text":"Rule one."},{"type":"text","text":"Rule two."}],
             "messages":[{"role":"user","content":[{"type":"text","text":"Compare"},
               {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
               {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]}
            """);

        Assert.Equal("Rule one.\nRule two.", request["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("""[{"type":"text","text":"Compare"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]""",
            request["messages"]![1]!["content"]!.ToJsonString());
    }

    [Fact]
    public void ToolRoundTrip_UseBecomesToolCallsAndResultsBecomeToolMessagesBeforeTheText()
    {
        var request = Canonical("""
            {"model":"gpt-4","max_tokens":100,"messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"Use the tool.","signature":"s"},{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"18 C"}]},{"type":"text","text":"And tomorrow?"}]}],
             "tools":[{"name":"weather","description":"Weather by city","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "tool_choice":{"type":"tool","name":"weather","disable_parallel_tool_use":true}}
            """);

        var messages = request["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "tool", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("Checking.", messages[1]!["content"]!.GetValue<string>());
        var call = messages[1]!["tool_calls"]![0]!;
        Assert.Equal(("toolu_1", "function", "weather"), (call["id"]!.GetValue<string>(), call["type"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>()));
        Assert.Equal("""{"city":"Paris"}""", call["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("""{"role":"tool","content":"18 C","tool_call_id":"toolu_1"}""", messages[2]!.ToJsonString());
        Assert.Equal("""[{"type":"function","function":{"name":"weather","description":"Weather by city","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]""", request["tools"]!.ToJsonString());
        Assert.Equal("""{"type":"function","function":{"name":"weather"}}""", request["tool_choice"]!.ToJsonString());
        Assert.False(request["parallel_tool_calls"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("auto", "\"auto\"")]
    [InlineData("any", "\"required\"")]
    [InlineData("none", "\"none\"")]
    public void ToolChoiceTypes_MapToOpenAIs(string type, string expected)
    {
        var request = Canonical("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"t","input_schema":{"type":"object"}}],"tool_choice":{"type":""" + $"\"{type}\"}}}}");

        Assert.Equal(expected, request["tool_choice"]!.ToJsonString());
    }

    [Fact]
    public void AnthropicOnlyKnobs_RideAlongAsExtensionFields()
    {
        var request = Canonical("""{"model":"m","max_tokens":2048,"messages":[{"role":"user","content":"x"}],"top_k":40,"thinking":{"type":"enabled","budget_tokens":1024}}""");

        Assert.Equal(40, request["top_k"]!.GetValue<int>());
        Assert.Equal("""{"type":"enabled","budget_tokens":1024}""", request["thinking"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", "max_tokens", "max_tokens: Field required")]
    [InlineData("""{"max_tokens":5,"messages":[{"role":"user","content":"x"}]}""", "model", "model: Field required")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[]}""", "messages", null)]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]}""", "max_tokens", null)]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"x"}]}""", "messages.0.role", null)]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user"}]}""", "messages.0.content", null)]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]}""", "messages.0.content.0", null)]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", "tools.0.type", null)]
    [InlineData("""{"model":"m","max_tokens":"many","messages":[{"role":"user","content":"x"}]}""", "max_tokens", null)]
    public void Invalid_IsRefusedNamingTheField(string anthropic, string param, string? message)
    {
        var error = Refused(anthropic);

        Assert.Equal(400, error.Status);
        Assert.Equal(param, error.Param);
        if (message is not null)
        {
            Assert.Equal(message, error.Message);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{} {}")]
    public void NotARequest_IsInvalidJson(string body) => Assert.Equal("invalid_json", Refused(body).Code);
}
