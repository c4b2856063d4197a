using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Tests.Protocol;

/// <summary>Each rule names the exact field at fault in <c>param</c>, the way OpenAI does.</summary>
public sealed class ChatRequestValidatorTests
{
    private const string User = """{"role":"user","content":"hi"}""";

    [Theory]
    [InlineData($$$"""{"messages":[{{{User}}}]}""", "model", "missing_required_parameter")]
    [InlineData($$$"""{"model":" ","messages":[{{{User}}}]}""", "model", "invalid_value")]
    [InlineData("""{"model":"m"}""", "messages", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[]}""", "messages", "invalid_value")]
    [InlineData("""{"model":"m","messages":[null]}""", "messages[0]", "invalid_type")]
    [InlineData("""{"model":"m","messages":[{"content":"hi"}]}""", "messages[0].role", "missing_required_parameter")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}},{"role":"robot","content":"hi"}]}""", "messages[1].role", "invalid_value")]
    [InlineData("""{"model":"m","messages":[{"role":"user"}]}""", "messages[0].content", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant"}]}""", "messages[0].content", "missing_required_parameter")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}},{"role":"tool","content":"42"}]}""", "messages[1].tool_call_id", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"text":"hi"}]}]}""", "messages[0].content[0].type", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]}""", "messages[0].content[0].text", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{}}]}]}""", "messages[0].content[1].image_url.url", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[null]}]}""", "messages[0].content[0]", "invalid_type")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"temperature":3}""", "temperature", "invalid_value")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"temperature":-0.1}""", "temperature", "invalid_value")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"top_p":2}""", "top_p", "invalid_value")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"n":0}""", "n", "invalid_value")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"max_tokens":0}""", "max_tokens", "invalid_value")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"max_completion_tokens":0}""", "max_completion_tokens", "invalid_value")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"stop":["a","b","c","d","e"]}""", "stop", "invalid_value")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"stop":5}""", "stop", "invalid_type")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"stop":["a",1]}""", "stop", "invalid_type")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"tools":[{"type":"function","function":{"description":"no name"}}]}""", "tools[0].function.name", "missing_required_parameter")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"tools":[{"type":"function"}]}""", "tools[0].function.name", "missing_required_parameter")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"tools":[{"function":{"name":"f"}}]}""", "tools[0].type", "missing_required_parameter")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"stream_options":{"include_usage":true}}""", "stream_options", "invalid_value")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"stream":false,"stream_options":{"include_usage":true}}""", "stream_options", "invalid_value")]
    public void Validate_InvalidRequest_NamesTheField(string body, string param, string code)
    {
        var error = ChatRequestValidator.Validate(Parse(body));

        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Theory]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":"Use French."},{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://x.test/a.png","detail":"low"}},{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}]}]}""")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_1","content":"42"}]}""")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}},{"role":"assistant","function_call":{"name":"f","arguments":"{}"}},{"role":"function","name":"f","content":"42"}]}""")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"temperature":0,"top_p":1,"n":1,"max_tokens":1,"max_completion_tokens":1}""")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"temperature":2,"top_p":0}""")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"stop":"END"}""")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"stop":["a","b","c","d"]}""")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"stop":null}""")]
    [InlineData($$$"""{"model":"m","messages":[{{{User}}}],"stream":true,"stream_options":{"include_usage":true}}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":"auto"}""")]
    public void Validate_ValidRequest_Passes(string body)
    {
        Assert.Null(ChatRequestValidator.Validate(Parse(body)));
    }

    [Fact]
    public void Validate_ReportsTheFirstProblemInDocumentOrder()
    {
        var error = ChatRequestValidator.Validate(Parse("""{"model":"m","messages":[{"role":"user"}],"temperature":9}"""));

        Assert.Equal("messages[0].content", error!.Param);
    }

    private static ChatCompletionRequest Parse(string json) =>
        JsonSerializer.Deserialize(json, GatewayJsonContext.Wire.ChatCompletionRequest)!;
}
