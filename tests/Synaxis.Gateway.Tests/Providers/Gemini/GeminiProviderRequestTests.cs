using System.Net;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.Gemini;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.Gemini.GeminiHarness;

namespace Synaxis.Gateway.Tests.Providers.Gemini;

/// <summary>What Gemini receives for an OpenAI request: the model's method URL, the key in a header, and the conversation in Gemini's terms.</summary>
public sealed class GeminiProviderRequestTests
{
    [Fact]
    public async Task Stream_PostsToStreamGenerateContentWithSse_AndTheKeyInAHeaderOnly()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes("gemini/stream-generate-content-text.sse"));

        await StreamAsync(handler);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(new Uri("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"), sent.Uri);
        Assert.Equal(SecretValue, sent.Headers["x-goog-api-key"]);
        Assert.DoesNotContain(SecretValue, sent.Uri.ToString(), StringComparison.Ordinal);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData("gemini-2.5-flash", null, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("models/gemini-2.5-pro", null, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent")]
    [InlineData("tunedModels/my-tune-7", "https://proxy.example.com/gemini/v1beta", "https://proxy.example.com/gemini/v1beta/tunedModels/my-tune-7:generateContent")]
    public async Task Complete_PostsToGenerateContentOfTheModel(string upstreamModel, string? baseUrl, string expected)
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("gemini/generate-content.json"));

        await Provider(handler).CompleteAsync(Call(CompleteRequest, Deployment(upstreamModel, baseUrl is null ? null : baseUrl + "/")), CancellationToken.None);

        Assert.Equal(new Uri(expected), handler.Requests[0].Uri);
    }

    [Fact]
    public async Task Conversation_MapsRolesSystemInstructionAndMergesTurns()
    {
        var body = await SentBodyAsync("""
            {"model":"gemini","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"developer","content":"Answer in German."},
              {"role":"user","content":"Hi"},
              {"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]},
              {"role":"assistant","content":"Eine Katze."},
              {"role":"user","content":"Danke"}]}
            """);

        Assert.Equal("""[{"text":"Be brief."},{"text":"Answer in German."}]""", body["systemInstruction"]!["parts"]!.ToJsonString());
        var contents = body["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(c => c!["role"]!.GetValue<string>()));
        Assert.Equal(
            """[{"text":"Hi"},{"text":"What is this?"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},{"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/cat.jpg"}}]""",
            contents[0]!["parts"]!.ToJsonString());
    }

    [Fact]
    public async Task Tools_BecomeFunctionDeclarationsWithTheClientsSchema_AndToolChoiceAFunctionCallingMode()
    {
        var body = await SentBodyAsync("""
            {"model":"gemini","messages":[{"role":"user","content":"Weather in Paris?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}}],
             "tool_choice":{"type":"function","function":{"name":"get_weather"}}}
            """);

        var declaration = body["tools"]![0]!["functionDeclarations"]![0]!;
        Assert.Equal("get_weather", declaration["name"]!.GetValue<string>());
        Assert.Equal("Current weather", declaration["description"]!.GetValue<string>());
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""", declaration["parametersJsonSchema"]!.ToJsonString());
        Assert.Equal("""{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}}""", body["toolConfig"]!.ToJsonString());
    }

    [Theory]
    [InlineData("\"none\"", "NONE")]
    [InlineData("\"auto\"", "AUTO")]
    [InlineData("\"required\"", "ANY")]
    public async Task ToolChoice_MapsToAMode(string choice, string mode)
    {
        var body = await SentBodyAsync($$$"""{"model":"gemini","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{{{choice}}}}""");

        Assert.Equal(mode, body["toolConfig"]!["functionCallingConfig"]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task ToolRound_SendsFunctionCallsAndNamedResponses_WithTheSignatureTheIdCarries()
    {
        var signed = GeminiToolCallId.Create(null, "CikB0e2Kbw5t");
        var body = await SentBodyAsync($$$"""
            {"model":"gemini","messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"{{{signed}}}","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
              {"role":"tool","tool_call_id":"{{{signed}}}","content":"{\"temp\":21}"},
              {"role":"tool","tool_call_id":"call_2","content":"sunny, 25 C"}]}
            """);

        var contents = body["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(c => c!["role"]!.GetValue<string>()));
        Assert.Equal(
            """[{"thoughtSignature":"CikB0e2Kbw5t","functionCall":{"name":"get_weather","args":{"city":"Paris"}}},{"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}]""",
            contents[1]!["parts"]!.ToJsonString());
        Assert.Equal(
            """[{"functionResponse":{"name":"get_weather","response":{"temp":21}}},{"functionResponse":{"name":"get_weather","response":{"output":"sunny, 25 C"}}}]""",
            contents[2]!["parts"]!.ToJsonString());
    }

    [Fact]
    public async Task ToolRound_ForGemini3WithoutASignature_SendsGooglesSkipValue()
    {
        var body = await SentBodyAsync("""
            {"model":"gemini","messages":[{"role":"user","content":"Paris?"},
              {"role":"assistant","tool_calls":[{"id":"call_from_elsewhere","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_from_elsewhere","content":"21"}]}
            """, Deployment("gemini-3-pro-preview"));

        Assert.Equal("skip_thought_signature_validator", body["contents"]![1]!["parts"]![0]!["thoughtSignature"]!.GetValue<string>());
    }

    [Fact]
    public async Task Settings_BecomeGenerationConfig()
    {
        var body = await SentBodyAsync("""
            {"model":"gemini","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":300,"temperature":0.2,"top_p":0.9,
             "stop":["END","STOP"],"n":2,"seed":7,"presence_penalty":0.5,"frequency_penalty":0.25,"reasoning_effort":"low",
             "response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object"}}},"logit_bias":{"50256":-100}}
            """);

        Assert.Equal(
            """{"maxOutputTokens":300,"temperature":0.2,"topP":0.9,"stopSequences":["END","STOP"],"candidateCount":2,"seed":7,"presencePenalty":0.5,"frequencyPenalty":0.25,"responseMimeType":"application/json","responseJsonSchema":{"type":"object"},"thinkingConfig":{"includeThoughts":true,"thinkingBudget":1024}}""",
            body["generationConfig"]!.ToJsonString());
        Assert.Null(body["logit_bias"]);
    }

    [Theory]
    [InlineData("""{"role":"tool","tool_call_id":"call_unknown","content":"x"}""", "messages[1].tool_call_id")]
    [InlineData("""{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"not json"}}]}""", "messages[1].tool_calls[0].function.arguments")]
    [InlineData("""{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://example.com/a.png"}}]}""", "messages[1].content[0].image_url.url")]
    [InlineData("""{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,notbase64"}}]}""", "messages[1].content[0].image_url.url")]
    [InlineData("""{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}""", "messages[1].content[0].file")]
    public async Task UntranslatableInput_IsRefusedWith400NamingTheField_WithoutCallingGemini(string message, string param)
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("gemini/generate-content.json"));
        var request = $$"""{"model":"gemini","messages":[{"role":"user","content":"hi"},{{message}}]}""";

        var result = await Provider(handler).CompleteAsync(Call(request), CancellationToken.None);

        Assert.Empty(handler.Requests);
        Assert.Equal((UpstreamFailureKind.Rejected, 400, param), (result.Failure?.Kind, result.Failure?.UpstreamStatus, result.Failure?.Param));
    }

    [Fact]
    public async Task NonFunctionTool_IsRefused()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("gemini/generate-content.json"));

        var result = await Provider(handler).StreamAsync(Call("""{"model":"gemini","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search"}],"stream":true}"""), CancellationToken.None);

        Assert.Equal("tools[0].type", result.Failure?.Param);
        Assert.Empty(handler.Requests);
    }

    private static async Task<JsonObject> SentBodyAsync(string request, Synaxis.Gateway.Routing.ModelDeployment? deployment = null)
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("gemini/generate-content.json"));
        var result = await Provider(handler).CompleteAsync(Call(request, deployment), CancellationToken.None);
        Assert.Null(result.Failure);
        return Assert.Single(handler.Requests).Json;
    }
}
