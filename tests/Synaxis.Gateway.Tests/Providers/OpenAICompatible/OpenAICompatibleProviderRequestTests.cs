using System.Net;
using System.Text.Json.Nodes;
using Synaxis.Gateway.Providers.OpenAICompatible;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;
using static Synaxis.Gateway.Tests.Providers.OpenAICompatible.ProviderHarness;

namespace Synaxis.Gateway.Tests.Providers.OpenAICompatible;

/// <summary>What the upstream receives: the client's request, addressed and authorised for that upstream.</summary>
public sealed class OpenAICompatibleProviderRequestTests
{
    [Fact]
    public async Task Stream_PostsToBaseUrlChatCompletions_WithTheBearerKeyFromTheSecretStore()
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes("openai/chat-stream-include-usage.sse"));

        await Provider(handler).StreamAsync(Call(StreamRequest), CancellationToken.None);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(new Uri("https://upstream.test/v1/chat/completions"), sent.Uri);
        Assert.Equal($"Bearer {SecretValue}", sent.Headers["Authorization"]);
        Assert.Equal("text/event-stream", sent.Headers["Accept"]);
        Assert.StartsWith("application/json", sent.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_AsksForJson()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));

        await Provider(handler).CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("application/json", sent.Headers["Accept"]);
        Assert.Equal($"Bearer {SecretValue}", sent.Headers["Authorization"]);
        Assert.False(sent.Json.ContainsKey("stream"));
        Assert.False(sent.Json.ContainsKey("stream_options"));
    }

    [Fact]
    public async Task Request_UsesTheNamedHttpClient()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));
        var factory = new HandlerClientFactory(handler);

        await Provider(factory).CompleteAsync(Call(CompleteRequest), CancellationToken.None);

        Assert.Equal([OpenAICompatibleProvider.HttpClientName], factory.Names);
    }

    [Fact]
    public async Task Request_ReplacesThePublicModelNameWithTheUpstreams()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));
        var call = Call(CompleteRequest);

        await Provider(handler).CompleteAsync(call, CancellationToken.None);

        Assert.Equal("gpt-4o-2024-08-06", handler.Requests[0].Json["model"]!.GetValue<string>());
        Assert.Equal("gpt-4", call.Request.Model); // the client's request is not changed
    }

    [Theory]
    [InlineData("""{"model":"gpt-4","messages":[{"role":"user","content":"hi"}],"stream":true}""")]
    [InlineData("""{"model":"gpt-4","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":false}}""")]
    public async Task Stream_AlwaysAsksForUsage_EvenWhenTheClientDidNot(string request)
    {
        var handler = ReplayHandler.Sse(Fixtures.Bytes("openai/chat-stream-include-usage.sse"));
        var call = Call(request);

        await Provider(handler).StreamAsync(call, CancellationToken.None);

        var sent = handler.Requests[0].Json;
        Assert.True(sent["stream"]!.GetValue<bool>());
        Assert.True(sent["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.False(call.Request.WantsStreamUsage); // the relay still knows the client did not ask
    }

    [Fact]
    public async Task Stream_ForwardsEveryOtherFieldUnchanged()
    {
        const string client = """
            {
              "model": "gpt-4",
              "messages": [
                { "role": "user", "content": [{ "type": "text", "text": "hi", "cache_control": { "type": "ephemeral" } }], "x_msg": 1 }
              ],
              "stream": true,
              "stream_options": { "include_obfuscation": false },
              "temperature": 0.25,
              "stop": ["END"],
              "tools": [{ "type": "function", "function": { "name": "f", "parameters": { "type": "object" } } }],
              "tool_choice": "auto",
              "seed": 42,
              "response_format": { "type": "json_object" },
              "logit_bias": { "50256": -100 },
              "parallel_tool_calls": false,
              "x_vendor": { "a": [1, 2] }
            }
            """;
        var handler = ReplayHandler.Sse(Fixtures.Bytes("openai/chat-stream-include-usage.sse"));

        await Provider(handler).StreamAsync(Call(client), CancellationToken.None);

        var expected = JsonNode.Parse(client)!.AsObject();
        expected["model"] = "gpt-4o-2024-08-06";
        expected["stream_options"] = new JsonObject { ["include_usage"] = true, ["include_obfuscation"] = false };
        var sent = JsonNode.Parse(handler.Requests[0].Body);
        Assert.True(JsonNode.DeepEquals(expected, sent), handler.Requests[0].Body);
    }

    [Fact]
    public async Task Request_CarriesTheDeploymentsExtraHeaders()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));
        var deployment = Deployment(headers: new() { ["HTTP-Referer"] = "https://synaxis.test", ["X-Title"] = "Synaxis" });

        await Provider(handler).CompleteAsync(Call(CompleteRequest, deployment), CancellationToken.None);

        Assert.Equal("https://synaxis.test", handler.Requests[0].Headers["HTTP-Referer"]);
        Assert.Equal("Synaxis", handler.Requests[0].Headers["X-Title"]);
    }

    [Fact]
    public async Task KeylessDeployment_SendsNoAuthorization()
    {
        var handler = new ReplayHandler(HttpStatusCode.OK, Fixtures.Bytes("openai/chat-completion.json"));

        var result = await Provider(handler, withSecret: false).CompleteAsync(Call(CompleteRequest, Deployment(apiKeySecret: null)), CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.False(handler.Requests[0].Headers.ContainsKey("Authorization"));
    }
}
