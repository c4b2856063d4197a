using System.Net;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.Anthropic;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.Anthropic.AnthropicHarness;

namespace Synaxis.Gateway.Tests.Providers.Anthropic;

/// <summary>The request Anthropic receives for a canonical request: URL, headers and every mapped field.</summary>
public sealed class AnthropicProviderRequestTests
{
    private static async Task<SentRequest> SendAsync(string request, Synaxis.Gateway.Routing.ModelDeployment? deployment = null)
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("anthropic/message.json"));
        var result = await Provider(handler).CompleteAsync(Call(request, deployment), CancellationToken.None);
        Assert.Null(result.Failure);
        return Assert.Single(handler.Requests);
    }

    private static async Task<UpstreamFailure> RefusedAsync(string request)
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("anthropic/message.json"));
        var result = await Provider(handler).CompleteAsync(Call(request), CancellationToken.None);
        Assert.Empty(handler.Requests);
        return result.Failure!;
    }

    [Fact]
    public async Task Request_GoesToMessagesWithKeyVersionAndUpstreamModel()
    {
        var sent = await SendAsync(CompleteRequest);

        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://api.anthropic.com/v1/messages", sent.Uri.ToString());
        Assert.Equal(SecretValue, sent.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.Equal("claude-sonnet-4-20250514", sent.Json["model"]!.GetValue<string>());
        Assert.Null(sent.Json["stream"]);
    }

    [Fact]
    public async Task Request_DeploymentBaseUrlVersionAndHeaders_AreUsed()
    {
        var deployment = Deployment(apiVersion: "2024-01-01", baseUrl: new Uri("https://proxy.test/anthropic/v1/"),
            headers: new() { ["anthropic-beta"] = "prompt-caching-2024-07-31" });

        var sent = await SendAsync(CompleteRequest, deployment);

        Assert.Equal("https://proxy.test/anthropic/v1/messages", sent.Uri.ToString());
        Assert.Equal("2024-01-01", sent.Headers["anthropic-version"]);
        Assert.Equal("prompt-caching-2024-07-31", sent.Headers["anthropic-beta"]);
    }

    [Fact]
    public async Task Request_Streamed_AsksForAStream()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes("anthropic/messages-stream-text.sse"));

        await StreamAsync(handler);

        Assert.True(handler.Requests[0].Json["stream"]!.GetValue<bool>());
        Assert.Equal("text/event-stream", handler.Requests[0].Headers["Accept"]);
    }

    [Theory]
    [InlineData("claude-sonnet-4-20250514", 64000)]
    [InlineData("claude-sonnet-4-5-20250929", 64000)]
    [InlineData("claude-opus-4-1-20250805", 32000)]
    [InlineData("claude-opus-4-20250514", 32000)]
    [InlineData("claude-3-5-haiku-latest", 8192)]
    [InlineData("claude-3-haiku-20240307", 4096)]
    [InlineData("some-future-model", 4096)]
    public async Task Request_WithoutMaxTokens_SendsTheModelsDocumentedMaximum(string upstreamModel, int expected)
    {
        var sent = await SendAsync(CompleteRequest, Deployment(upstreamModel));

        Assert.Equal(expected, sent.Json["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Request_WithoutMaxTokens_UsesTheDeploymentsMaxOutputTokens()
    {
        var sent = await SendAsync(CompleteRequest, Deployment(maxOutputTokens: 1234));

        Assert.Equal(1234, sent.Json["max_tokens"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("\"max_tokens\":50", 50)]
    [InlineData("\"max_completion_tokens\":70", 70)]
    [InlineData("\"max_tokens\":50,\"max_completion_tokens\":70", 70)]
    public async Task Request_ClientsLimit_WinsOverEveryDefault(string field, int expected)
    {
        var sent = await SendAsync($$"""{"model":"claude","messages":[{"role":"user","content":"hi"}],{{field}}}""", Deployment(maxOutputTokens: 1234));

        Assert.Equal(expected, sent.Json["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Request_SystemAndDeveloperMessages_BecomeTheSystemBlocks()
    {
        var sent = await SendAsync("""
            {"model":"claude","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"hi"},
              {"role":"developer","content":[{"type":"text","text":"Answer in French."}]}]}
            """);

        Assert.Equal("""[{"type":"text","text":"Be brief."},{"type":"text","text":"Answer in French."}]""", sent.Json["system"]!.ToJsonString());
        Assert.Equal("""[{"role":"user","content":[{"type":"text","text":"hi"}]}]""", sent.Json["messages"]!.ToJsonString());
    }

    [Fact]
    public async Task Request_Images_ByUrlAndBase64_BecomeImageBlocks()
    {
        var sent = await SendAsync("""
            {"model":"claude","messages":[{"role":"user","content":[
              {"type":"text","text":"What differs?"},
              {"type":"image_url","image_url":{"url":"https://example.com/a.png"}},
              {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ","detail":"low"}}]}]}
            """);

        var blocks = sent.Json["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("""{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}""", blocks[1]!.ToJsonString());
        Assert.Equal("""{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}""", blocks[2]!.ToJsonString());
    }

    [Fact]
    public async Task Request_ToolConversation_MapsCallsAndMergesResultsIntoOneUserTurn()
    {
        var sent = await SendAsync("""
            {"model":"claude","messages":[
              {"role":"user","content":"Secrets for mellon and radiance?"},
              {"role":"assistant","content":"","tool_calls":[
                {"id":"toolu_1","type":"function","function":{"name":"secret","arguments":"{\"password\":\"mellon\"}"}},
                {"id":"toolu_2","type":"function","function":{"name":"secret","arguments":"{\"password\":\"radiance\"}"}}]},
              {"role":"tool","tool_call_id":"toolu_1","content":"Welcome"},
              {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"Shine"}]},
              {"role":"user","content":"Thanks"}]}
            """);

        var turns = sent.Json["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], turns.Select(t => t!["role"]!.GetValue<string>()));
        Assert.Equal("""[{"type":"tool_use","id":"toolu_1","name":"secret","input":{"password":"mellon"}},{"type":"tool_use","id":"toolu_2","name":"secret","input":{"password":"radiance"}}]""",
            turns[1]!["content"]!.ToJsonString());
        Assert.Equal("""[{"type":"tool_result","tool_use_id":"toolu_1","content":"Welcome"},{"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"Shine"}]},{"type":"text","text":"Thanks"}]""",
            turns[2]!["content"]!.ToJsonString());
    }

    [Fact]
    public async Task Request_ToolsAndChoice_MapToInputSchemaAndAnthropicsChoice()
    {
        var sent = await SendAsync("""
            {"model":"claude","messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"function","function":{"name":"secret","description":"Reads a secret","parameters":{"type":"object","properties":{"password":{"type":"string"}}}}},
                      {"type":"function","function":{"name":"now"}}],
             "tool_choice":{"type":"function","function":{"name":"secret"}},"parallel_tool_calls":false}
            """);

        Assert.Equal("""[{"name":"secret","description":"Reads a secret","input_schema":{"type":"object","properties":{"password":{"type":"string"}}}},{"name":"now","input_schema":{"type":"object","properties":{}}}]""",
            sent.Json["tools"]!.ToJsonString());
        Assert.Equal("""{"type":"tool","name":"secret","disable_parallel_tool_use":true}""", sent.Json["tool_choice"]!.ToJsonString());
    }

    [Theory]
    [InlineData("\"auto\"", """{"type":"auto"}""")]
    [InlineData("\"required\"", """{"type":"any"}""")]
    [InlineData("\"none\"", """{"type":"none"}""")]
    public async Task Request_NamedToolChoice_MapsToAnthropicsType(string choice, string expected)
    {
        var sent = await SendAsync("""{"model":"claude","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"now"}}],"tool_choice":""" + choice + "}");

        Assert.Equal(expected, sent.Json["tool_choice"]!.ToJsonString());
    }

    [Fact]
    public async Task Request_SamplingStopUserAndAnthropicExtras_Map()
    {
        var sent = await SendAsync("""
            {"model":"claude","messages":[{"role":"user","content":"hi"}],"temperature":0.4,"top_p":0.9,"stop":"END",
             "user":"user-42","seed":7,"logprobs":true,"top_k":20,"thinking":{"type":"enabled","budget_tokens":1024}}
            """);

        Assert.Equal(0.4, sent.Json["temperature"]!.GetValue<double>());
        Assert.Equal(0.9, sent.Json["top_p"]!.GetValue<double>());
        Assert.Equal("""["END"]""", sent.Json["stop_sequences"]!.ToJsonString());
        Assert.Equal("""{"user_id":"user-42"}""", sent.Json["metadata"]!.ToJsonString());
        Assert.Equal(20, sent.Json["top_k"]!.GetValue<int>());
        Assert.Equal("""{"type":"enabled","budget_tokens":1024}""", sent.Json["thinking"]!.ToJsonString());
        Assert.Null(sent.Json["seed"]);
        Assert.Null(sent.Json["logprobs"]);
    }

    [Fact]
    public async Task Request_CacheControlOnParts_ReachesTheBlocks()
    {
        var sent = await SendAsync("""
            {"model":"claude","messages":[{"role":"system","content":[{"type":"text","text":"Long rules","cache_control":{"type":"ephemeral"}}]},
              {"role":"user","content":"hi"}]}
            """);

        Assert.Equal("""[{"type":"text","text":"Long rules","cache_control":{"type":"ephemeral"}}]""", sent.Json["system"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"model":"claude","messages":[{"role":"user","content":"hi"}],"n":2}""", "n")]
    [InlineData("""{"model":"claude","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"model":"claude","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://example.com/a.png"}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"model":"claude","messages":[{"role":"assistant","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"[1]"}}]}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"model":"claude","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search"}]}""", "tools[0].type")]
    [InlineData("""{"model":"claude","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"sometimes"}""", "tool_choice")]
    [InlineData("""{"model":"claude","messages":[{"role":"function","name":"f","content":"x"}]}""", "messages[0].role")]
    public async Task Request_ThatAnthropicCannotHonour_IsRejectedBeforeAnyCall_NamingTheField(string request, string param)
    {
        var failure = await RefusedAsync(request);

        Assert.Equal(UpstreamFailureKind.Rejected, failure.Kind);
        Assert.Null(failure.UpstreamStatus);
        Assert.Equal(param, failure.Param);
    }

    [Theory]
    [InlineData("claude-opus-4-5-20251101", 64000)]
    [InlineData("claude-opus-4-1", 32000)]
    [InlineData("claude-opus-4-0", 32000)]
    [InlineData("claude-haiku-4-5", 64000)]
    [InlineData("CLAUDE-SONNET-4-0", 64000)]
    [InlineData("claude-3-7-sonnet-latest", 64000)]
    public void OutputLimits_TheMostSpecificPrefixWins(string model, int expected) =>
        Assert.Equal(expected, AnthropicOutputLimits.DefaultFor(model));

    [Fact]
    public async Task Request_PlainConversation_KeepsRolesAndText()
    {
        var sent = await SendAsync("""{"model":"claude","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"}]}""");

        Assert.Equal(["user", "assistant", "user"], sent.Json["messages"]!.AsArray().Select(t => t!["role"]!.GetValue<string>()));
        Assert.Equal("b", sent.Json["messages"]![1]!["content"]![0]!["text"]!.GetValue<string>());
    }
}
