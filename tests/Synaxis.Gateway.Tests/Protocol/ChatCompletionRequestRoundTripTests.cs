using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Tests.Protocol;

/// <summary>
/// The gateway forwards requests it only partly understands: whatever it has no property for must come
/// out exactly as it went in, at every level, or new OpenAI parameters and vendor extensions get lost.
/// </summary>
public sealed class ChatCompletionRequestRoundTripTests
{
    private const string RequestWithUnknownFields = """
        {
          "model": "gpt-4o",
          "messages": [
            { "role": "system", "content": "Be brief.", "x_msg_meta": { "trace": [1, 2, 3] } },
            {
              "role": "user",
              "name": "ana",
              "content": [
                { "type": "text", "text": "What is this?", "cache_control": { "type": "ephemeral" } },
                { "type": "image_url", "image_url": { "url": "https://example.test/cat.png", "detail": "low", "x_crop": [0, 0, 10, 10] } },
                { "type": "input_audio", "input_audio": { "data": "UklGRg==", "format": "wav" } }
              ]
            },
            {
              "role": "assistant",
              "refusal": null,
              "tool_calls": [
                { "id": "call_1", "type": "function", "function": { "name": "look", "arguments": "{\"x\":1}" }, "extra_content": { "google": { "thought_signature": "abc" } } }
              ]
            },
            { "role": "tool", "tool_call_id": "call_1", "content": "a cat" }
          ],
          "stream": true,
          "stream_options": { "include_usage": true, "include_obfuscation": false },
          "temperature": 0.5,
          "top_p": 1,
          "n": 1,
          "max_tokens": 100,
          "stop": ["\n\n", "END"],
          "tools": [
            {
              "type": "function",
              "function": { "name": "look", "description": "Looks.", "parameters": { "type": "object", "properties": { "x": { "type": "integer" } } }, "strict": true, "x_fn": 1 },
              "x_tool": "t"
            }
          ],
          "tool_choice": { "type": "function", "function": { "name": "look" } },
          "user": "user-7",
          "seed": 42,
          "response_format": { "type": "json_schema", "json_schema": { "name": "answer", "schema": { "type": "object" }, "strict": true } },
          "logit_bias": { "50256": -100, "1234": 5.5 },
          "parallel_tool_calls": false,
          "x_vendor": { "a": [1, 2] }
        }
        """;

    [Fact]
    public void RoundTrip_KeepsUnknownFieldsAtEveryLevel()
    {
        var roundTripped = RoundTrip(RequestWithUnknownFields);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(RequestWithUnknownFields), JsonNode.Parse(roundTripped)), roundTripped);
    }

    [Fact]
    public void RoundTrip_KeepsUnknownFieldsInsideAToolCallsFunction()
    {
        const string json = """{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}","x_fn_meta":{"k":1}}}]}]}""";

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(RoundTrip(json))), RoundTrip(json));
    }

    [Fact]
    public void Deserialize_PutsUnknownTopLevelFieldsInExtensionData()
    {
        var request = JsonSerializer.Deserialize(RequestWithUnknownFields, GatewayJsonContext.Wire.ChatCompletionRequest)!;

        Assert.Equal(["seed", "response_format", "logit_bias", "parallel_tool_calls", "x_vendor"], request.ExtensionData!.Keys);
        Assert.Equal(0.5, request.Temperature);
        Assert.True(request.IsStreaming);
        Assert.True(request.WantsStreamUsage);
    }

    [Fact]
    public void Serialize_WritesQuotesAndAccentsUnescaped()
    {
        var request = new ChatCompletionRequest
        {
            Model = "m",
            Messages = [new ChatMessage { Role = "user", Content = MessageContent.FromText("l'été <b>") }],
        };

        var json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(request, GatewayJsonContext.Wire.ChatCompletionRequest));

        Assert.Contains("\"content\":\"l'été <b>\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_LeavesOutFieldsTheClientDidNotSend()
    {
        var json = RoundTrip("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", json);
    }

    private static string RoundTrip(string json)
    {
        var request = JsonSerializer.Deserialize(json, GatewayJsonContext.Wire.ChatCompletionRequest);
        return JsonSerializer.Serialize(request, GatewayJsonContext.Wire.ChatCompletionRequest);
    }
}
