using System.Text.Json.Nodes;
using Synaxis.IntegrationTests.Providers;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Clients;

/// <summary>
/// The official <c>@anthropic-ai/sdk</c> npm package, unchanged but for base URL, key and model, against
/// <c>/v1/messages</c>: served by an OpenAI-compatible upstream, by the Anthropic provider and by the mock.
/// </summary>
public sealed class AnthropicSdkTests
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="body"/> with <c>client</c> and <c>tools</c> defined; it prints one JSON value.</summary>
    private static async Task<JsonNode> RunAsync(GatewayUnderTest test, string body)
    {
        var script = """
            import Anthropic from '@anthropic-ai/sdk';
            const client = new Anthropic({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
            const tools = [{ name: 'secret_retrieval_tool', description: 'Reads a secret', input_schema: { type: 'object', properties: { password: { type: 'string' } } } }];
            const ask = (model, content) => ({ model, max_tokens: 1024, messages: [{ role: 'user', content }] });
            try {
            """ + body + """

            } catch (e) {
              console.log(JSON.stringify({ thrown: e.constructor.name, status: e.status, type: e.error?.error?.type ?? e.type, message: e.message }));
            }
            """;
        var run = await NodeClients.RunModuleAsync(script, NodeTimeout, new Dictionary<string, string>
        {
            ["BASE_URL"] = test.Gateway.BaseUrl.ToString().TrimEnd('/'),
            ["API_KEY"] = GatewayUnderTest.ClientKey,
        });
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonNode.Parse(run.Stdout)!;
    }

    [Fact]
    public async Task Sdk_MessagesCreate_ServedByAnOpenAIUpstream()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Json("openai/chat-completion.json");

        var message = await RunAsync(test, "console.log(JSON.stringify(await client.messages.create(ask('gpt-4', 'Hello'))));");

        var recorded = JsonNode.Parse(Fixtures.Text("openai/chat-completion.json"))!;
        Assert.Equal(recorded["choices"]![0]!["message"]!["content"]!.GetValue<string>(), message["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", message["stop_reason"]!.GetValue<string>());
        Assert.Equal(recorded["usage"]!["completion_tokens"]!.GetValue<int>(), message["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Sdk_MessagesStream_ServedByAnOpenAIUpstream_TextEventsAndFinalMessageAgree()
    {
        const string fixture = "openai/chat-stream-include-usage.sse";
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay(fixture, betweenDelay: TimeSpan.FromMilliseconds(2));

        var result = await RunAsync(test, """
            let text = '';
            const stream = client.messages.stream(ask('gpt-4', 'What is 4200 + 1?')).on('text', t => { text += t; });
            const final = await stream.finalMessage();
            console.log(JSON.stringify({ text, final }));
            """);

        Assert.Equal(SseReader.RecordedText(fixture), result["text"]!.GetValue<string>());
        Assert.Equal(SseReader.RecordedText(fixture), result["final"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", result["final"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal((16, 10), (result["final"]!["usage"]!["input_tokens"]!.GetValue<int>(), result["final"]!["usage"]!["output_tokens"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Sdk_MessagesStreamWithTools_ServedByAnOpenAIUpstream_GivesToolUseBlocks()
    {
        const string fixture = "openai/chat-stream-parallel-tool-calls.sse";
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Replay(fixture);

        var final = await RunAsync(test, """
            console.log(JSON.stringify(await client.messages.stream({ ...ask('gpt-4', 'Weather?'), tools }).finalMessage()));
            """);

        var recorded = File.ReadLines(Fixtures.PathOf(fixture)).Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
            .SelectMany(l => JsonNode.Parse(l[6..])!["choices"]!.AsArray().FirstOrDefault()?["delta"]?["tool_calls"]?.AsArray() ?? [])
            .GroupBy(c => c!["index"]!.GetValue<int>())
            .Select(g => (g.First()!["id"]!.GetValue<string>(), JsonNode.Parse(string.Concat(g.Select(c => c!["function"]!["arguments"]!.GetValue<string>())))!.ToJsonString()))
            .ToList();
        var uses = final["content"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "tool_use").Select(b => (b!["id"]!.GetValue<string>(), b["input"]!.ToJsonString())).ToList();
        Assert.Equal(recorded, uses);
        Assert.Equal("tool_use", final["stop_reason"]!.GetValue<string>());
        var sent = Assert.Single(test.Upstream.Requests).Json;
        Assert.Equal("secret_retrieval_tool", sent["tools"]![0]!["function"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sdk_MessagesStream_ServedByTheAnthropicProvider_MatchesWhatAnthropicSent()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => AnthropicModel.Configure(s));
        test.Upstream.Behavior = (context, request) =>
            Respond.Replay(request["tools"] is null ? "anthropic/messages-stream-text.sse" : "anthropic/messages-stream-tool-use-parallel.sse")(context, request);

        var result = await RunAsync(test, """
            const text = await client.messages.stream(ask('claude', 'What is 4200 + 42?')).finalMessage();
            const tooled = await client.messages.stream({ ...ask('claude', 'Secrets for mellon and radiance?'), tools }).finalMessage();
            console.log(JSON.stringify({ text, tooled }));
            """);

        Assert.Equal("4200 + 42 = 4242", result["text"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("msg_018bk6q16LtrDpGDm6TyXTgn", result["text"]!["id"]!.GetValue<string>());
        Assert.Equal(15, result["text"]!["usage"]!["output_tokens"]!.GetValue<int>());
        var content = result["tooled"]!["content"]!.AsArray();
        Assert.Equal("I'll retrieve the secrets for both passwords you provided.", content[0]!["text"]!.GetValue<string>());
        Assert.Equal("""{"type":"tool_use","id":"toolu_015cUijgET79LXjgeYQerN2h","name":"secret_retrieval_tool","input":{"password":"mellon"}}""", content[1]!.ToJsonString());
        Assert.Equal("""{"password":"radiance"}""", content[2]!["input"]!.ToJsonString());
        Assert.Equal("tool_use", result["tooled"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sdk_MessagesCreateWithToolResults_ServedByTheAnthropicProvider_SendsThemOn()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => AnthropicModel.Configure(s));
        test.Upstream.Behavior = Respond.Json("anthropic/message-tool-use.json");

        var result = await RunAsync(test, """
            const first = await client.messages.create({ ...ask('claude', 'Secrets for mellon and radiance?'), tools });
            const results = first.content.filter(b => b.type === 'tool_use').map(b => ({ type: 'tool_result', tool_use_id: b.id, content: b.input.password.toUpperCase() }));
            await client.messages.create({ model: 'claude', max_tokens: 1024, tools, messages: [
              { role: 'user', content: 'Secrets for mellon and radiance?' }, { role: 'assistant', content: first.content }, { role: 'user', content: results }] });
            console.log(JSON.stringify(first));
            """);

        Assert.Equal(["text", "tool_use", "tool_use"], result["content"]!.AsArray().Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("""{"password":"mellon"}""", result["content"]![1]!["input"]!.ToJsonString());
        var followUp = test.Upstream.Requests.Last().Json["messages"]!.AsArray();
        Assert.Equal("""[{"type":"tool_result","tool_use_id":"toolu_01BUvqBj8Yb34pNAbCJJY1oc","content":"MELLON"},{"type":"tool_result","tool_use_id":"toolu_01VPuQJ1LonDBYXrr8pqPkqQ","content":"RADIANCE"}]""",
            followUp[2]!["content"]!.ToJsonString());
        Assert.Equal("tool_use", followUp[1]!["content"]![1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sdk_MessagesCreate_ServedByTheMockModel()
    {
        await using var test = await GatewayUnderTest.StartAsync(s =>
        {
            s["Synaxis:Models:0:Provider"] = "mock";
            s["Synaxis:Mock:FirstTokenDelay"] = "00:00:00";
            s["Synaxis:Mock:TokenDelay"] = "00:00:00";
        });

        var result = await RunAsync(test, """
            const created = await client.messages.create(ask('gpt-4', 'ping'));
            const streamed = await client.messages.stream(ask('gpt-4', 'ping')).finalText();
            console.log(JSON.stringify({ created: created.content[0].text, streamed }));
            """);

        Assert.Contains("You said: \"ping\"", result["created"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(result["created"]!.GetValue<string>(), result["streamed"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("gpt-9", null, "NotFoundError", 404, "not_found_error")]
    [InlineData("gpt-4", "openai/error-429-rate-limit-exceeded.json", "RateLimitError", 429, "rate_limit_error")]
    public async Task Sdk_Errors_ArriveAsTheSdksOwnErrorClasses(string model, string? upstreamError, string thrown, int status, string type)
    {
        await using var test = await GatewayUnderTest.StartAsync();
        if (upstreamError is not null)
        {
            test.Upstream.Behavior = Respond.Json(upstreamError, 429);
        }

        var result = await RunAsync(test, $"await client.messages.create(ask('{model}', 'hi')); console.log('{{}}');");

        Assert.Equal(thrown, result["thrown"]?.GetValue<string>());
        Assert.Equal(status, result["status"]!.GetValue<int>());
        Assert.Equal(type, result["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sdk_ErrorMidStream_IsThrownByTheStream()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => AnthropicModel.Configure(s));
        var text = SseFixture.SplitEvents(Fixtures.Bytes("anthropic/messages-stream-text.sse"));
        test.Upstream.Behavior = Respond.RawStream([.. text.Take(3).Select(e => System.Text.Encoding.UTF8.GetString(e)), Fixtures.Text("anthropic/messages-stream-error-overloaded.sse")]);

        var result = await RunAsync(test, "await client.messages.stream(ask('claude', 'hi')).finalMessage(); console.log('{}');");

        Assert.Equal("overloaded_error", result["type"]!.GetValue<string>());
        Assert.Contains("Overloaded", result["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
