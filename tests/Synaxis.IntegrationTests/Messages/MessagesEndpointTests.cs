using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Synaxis.IntegrationTests.Providers;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Messages;

/// <summary>
/// <c>POST /v1/messages</c> over plain HTTP: Anthropic's request and answer formats, streamed and not,
/// served by an OpenAI-compatible upstream and by the Anthropic provider, with Anthropic-shaped errors.
/// </summary>
public sealed class MessagesEndpointTests
{
    private const string Body = """{"model":"gpt-4","max_tokens":256,"system":"Be brief.","messages":[{"role":"user","content":"Tell me a short story about a robot."}]}""";

    private static HttpRequestMessage Messages(string body, bool stream = false, string? apiKey = GatewayUnderTest.ClientKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = GatewayUnderTest.Json(stream ? body.Insert(1, "\"stream\":true,") : body),
        };
        request.Headers.Authorization = null;
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    private static async Task<HttpResponseMessage> SendAsync(GatewayUnderTest test, HttpRequestMessage request)
    {
        // The test client's default bearer key would hide whether x-api-key alone is accepted.
        using var client = new HttpClient { BaseAddress = test.Gateway.BaseUrl };
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    [Fact]
    public async Task NonStreamed_FromAnOpenAIUpstream_IsAnAnthropicMessage()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Json("openai/chat-completion.json");

        using var response = await SendAsync(test, Messages(Body));
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var recorded = JsonNode.Parse(Fixtures.Text("openai/chat-completion.json"))!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Equal(recorded["choices"]![0]!["message"]!["content"]!.GetValue<string>(), message["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", message["stop_reason"]!.GetValue<string>());
        Assert.Equal(recorded["usage"]!["completion_tokens"]!.GetValue<int>(), message["usage"]!["output_tokens"]!.GetValue<int>());
        var sent = Assert.Single(test.Upstream.Requests).Json;
        Assert.Equal("""[{"role":"system","content":"Be brief."},{"role":"user","content":"Tell me a short story about a robot."}]""", sent["messages"]!.ToJsonString());
        Assert.Equal(256, sent["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Streamed_FromAnOpenAIUpstream_IsAnAnthropicEventStreamWithUsage()
    {
        const string fixture = "openai/chat-stream-include-usage.sse";
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay(fixture);

        using var response = await SendAsync(test, Messages(Body, stream: true));
        var events = await AnthropicSseReader.ReadAllAsync(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["message_start", "content_block_start"], events.Take(2).Select(e => e.Type));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], events.TakeLast(3).Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(e.Type, e.Data["type"]!.GetValue<string>()));
        Assert.Equal(SseReader.RecordedText(fixture), AnthropicSseReader.Text(events));
        Assert.Equal("""{"input_tokens":16,"cache_read_input_tokens":0,"output_tokens":10}""", events[^2].Data["usage"]!.ToJsonString());
    }

    [Fact]
    public async Task Streamed_FromTheAnthropicProvider_KeepsTheTextStopReasonAndUsage()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => AnthropicModel.Configure(s));
        test.Upstream.Behavior = Respond.Replay("anthropic/messages-stream-text.sse");

        using var response = await SendAsync(test, Messages(Body.Replace("gpt-4", AnthropicModel.Name, StringComparison.Ordinal), stream: true));
        var events = await AnthropicSseReader.ReadAllAsync(response);

        Assert.Equal("4200 + 42 = 4242", AnthropicSseReader.Text(events));
        Assert.Equal("msg_018bk6q16LtrDpGDm6TyXTgn", events[0].Data["message"]!["id"]!.GetValue<string>());
        Assert.Equal("end_turn", events[^2].Data["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal((17, 15), (events[^2].Data["usage"]!["input_tokens"]!.GetValue<int>(), events[^2].Data["usage"]!["output_tokens"]!.GetValue<int>()));
        var sent = Assert.Single(test.Upstream.Requests).Json;
        Assert.Equal(256, sent["max_tokens"]!.GetValue<int>());
        Assert.Equal("""[{"type":"text","text":"Be brief."}]""", sent["system"]!.ToJsonString());
    }

    [Fact]
    public async Task BearerKey_IsAcceptedToo()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        var request = Messages(Body, apiKey: null);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayUnderTest.ClientKey);

        using var response = await SendAsync(test, request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "authentication_error")]
    [InlineData("sk-wrong", HttpStatusCode.Unauthorized, "authentication_error")]
    public async Task MissingOrWrongKey_IsAnAnthropicAuthenticationError(string? key, HttpStatusCode status, string type)
    {
        await using var test = await GatewayUnderTest.StartAsync();

        using var response = await SendAsync(test, Messages(Body, apiKey: key));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal(type, error["error"]!["type"]!.GetValue<string>());
        Assert.Empty(test.Upstream.Requests);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest, "invalid_request_error", "max_tokens: Field required")]
    [InlineData("""{"model":"gpt-9","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.NotFound, "not_found_error", null)]
    [InlineData("""{"model":"gpt-4","max_tokens":5,"messages":[{"role":"user","content":"hi"}""", HttpStatusCode.BadRequest, "invalid_request_error", null)]
    public async Task BadRequest_IsAnAnthropicError(string body, HttpStatusCode status, string type, string? message)
    {
        await using var test = await GatewayUnderTest.StartAsync();

        using var response = await SendAsync(test, Messages(body));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(type, error["type"]!.GetValue<string>());
        if (message is not null)
        {
            Assert.Equal(message, error["message"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("openai/error-429-rate-limit-exceeded.json", 429, HttpStatusCode.TooManyRequests, "rate_limit_error")]
    [InlineData("anthropic/error-529-overloaded.json", 529, HttpStatusCode.ServiceUnavailable, "overloaded_error")]
    public async Task UpstreamRefusal_IsAnAnthropicErrorWithRetryAfter(string fixture, int upstreamStatus, HttpStatusCode status, string type)
    {
        await using var test = await GatewayUnderTest.StartAsync(s =>
        {
            if (upstreamStatus == 529)
            {
                AnthropicModel.Configure(s);
            }
        });
        test.Upstream.Behavior = Respond.Json(fixture, upstreamStatus, ("retry-after", "9"));
        var model = upstreamStatus == 529 ? AnthropicModel.Name : "gpt-4";

        using var response = await SendAsync(test, Messages(Body.Replace("gpt-4", model, StringComparison.Ordinal), stream: true));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(type, error["type"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(9), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task FailureMidStream_EndsWithAnErrorEventAndNoMessageStop()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => AnthropicModel.Configure(s));
        var text = SseFixture.SplitEvents(Fixtures.Bytes("anthropic/messages-stream-text.sse"));
        test.Upstream.Behavior = Respond.RawStream([.. text.Take(3).Select(e => System.Text.Encoding.UTF8.GetString(e)), Fixtures.Text("anthropic/messages-stream-error-overloaded.sse")]);

        using var response = await SendAsync(test, Messages(Body.Replace("gpt-4", AnthropicModel.Name, StringComparison.Ordinal), stream: true));
        var events = await AnthropicSseReader.ReadAllAsync(response);

        Assert.Equal("4200 + 42 =", AnthropicSseReader.Text(events));
        Assert.Equal("error", events[^1].Type);
        Assert.Equal("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", events[^1].Data.ToJsonString());
        Assert.DoesNotContain(events, e => e.Type == "message_stop");
    }
}
