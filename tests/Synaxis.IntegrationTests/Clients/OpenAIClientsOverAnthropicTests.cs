using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Synaxis.IntegrationTests.Providers;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Clients;

/// <summary>
/// The official OpenAI clients (.NET SDK and the <c>openai</c> npm package), unchanged but for endpoint,
/// key and model, talking to a model the Anthropic provider serves from recorded Anthropic answers.
/// </summary>
public sealed class OpenAIClientsOverAnthropicTests
{
    private const string ToolSchema = """{"type":"object","properties":{"password":{"type":"string"}},"required":["password"]}""";

    private static Task<GatewayUnderTest> StartAsync() => GatewayUnderTest.StartAsync(s => AnthropicModel.Configure(s));

    private static ChatClient ClientFor(GatewayUnderTest test) =>
        new(AnthropicModel.Name, new ApiKeyCredential(GatewayUnderTest.ClientKey), new OpenAIClientOptions { Endpoint = new Uri(test.Gateway.BaseUrl, "v1") });

    private static ChatCompletionOptions WithSecretTool() => new()
    {
        Tools = { ChatTool.CreateFunctionTool("secret_retrieval_tool", "Reads the secret behind a password", BinaryData.FromString(ToolSchema)) },
    };

    [Fact]
    public async Task DotNetSdk_Streaming_ReceivesTheTextFinishAndUsage()
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Replay("anthropic/messages-stream-text.sse");

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        // The SDK asks for usage itself (stream_options.include_usage).
        await foreach (var update in ClientFor(test).CompleteChatStreamingAsync([new UserChatMessage("What is 4200 + 42?")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("4200 + 42 = 4242", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal((17, 15), (usage?.InputTokenCount, usage?.OutputTokenCount));
    }

    [Fact]
    public async Task DotNetSdk_StreamingTools_ReassemblesBothCallsAndSendsTheToolToAnthropic()
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Replay("anthropic/messages-stream-tool-use-parallel.sse");

        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        ChatFinishReason? finish = null;
        await foreach (var update in ClientFor(test).CompleteChatStreamingAsync([new UserChatMessage("Secrets for mellon and radiance?")], WithSecretTool()))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(call.Index, out var entry))
                {
                    calls[call.Index] = entry = (call.ToolCallId, call.FunctionName, new StringBuilder());
                }

                entry.Arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(
            [("toolu_015cUijgET79LXjgeYQerN2h", "secret_retrieval_tool", """{"password": "mellon"}"""), ("toolu_01XZTimPexA7h3EVKesnKt5T", "secret_retrieval_tool", """{"password": "radiance"}""")],
            calls.Values.Select(c => (c.Id, c.Name, c.Arguments.ToString())));
        var sent = Assert.Single(test.Upstream.Requests).Json;
        Assert.Equal(JsonNode.Parse(ToolSchema)!.ToJsonString(), sent["tools"]![0]!["input_schema"]!.ToJsonString());
        Assert.Equal("secret_retrieval_tool", sent["tools"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task DotNetSdk_NonStreamingTools_ReceivesToolCallsAndCanAnswerThem()
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Json("anthropic/message-tool-use.json");
        var client = ClientFor(test);

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Secrets for mellon and radiance?")], WithSecretTool());

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal(["""{"password":"mellon"}""", """{"password":"radiance"}"""], completion.ToolCalls.Select(c => c.FunctionArguments.ToString()));
        Assert.Equal("I'll retrieve the secrets for both passwords you provided.", completion.Content[0].Text);

        // The SDK's own follow-up: the assistant turn with its calls, then one tool message per call.
        test.Upstream.Behavior = Respond.Json("anthropic/message.json");
        List<ChatMessage> conversation = [new UserChatMessage("Secrets for mellon and radiance?"), new AssistantChatMessage(completion),
            new ToolChatMessage(completion.ToolCalls[0].Id, "Welcome"), new ToolChatMessage(completion.ToolCalls[1].Id, "Shine")];
        ChatCompletion answer = await client.CompleteChatAsync(conversation, WithSecretTool());

        Assert.Equal("4200 + 42 = 4242", answer.Content[0].Text);
        var turns = test.Upstream.Requests.Last().Json["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], turns.Select(t => t!["role"]!.GetValue<string>()));
        Assert.Equal(["tool_result", "tool_result"], turns[2]!["content"]!.AsArray().Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("toolu_01BUvqBj8Yb34pNAbCJJY1oc", turns[2]!["content"]![0]!["tool_use_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAINpm_StreamingTextAndTools_AndTheStreamHelpersFinalCompletion()
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = (context, request) =>
            Respond.Replay(request["tools"] is null ? "anthropic/messages-stream-text.sse" : "anthropic/messages-stream-tool-use-parallel.sse")(context, request);
        const string script = """
            import OpenAI from 'openai';
            const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
            const tools = [{ type: 'function', function: { name: 'secret_retrieval_tool', parameters: { type: 'object', properties: { password: { type: 'string' } } } } }];

            let text = '', finish = null, usage = null;
            const stream = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'What is 4200 + 42?' }], stream: true, stream_options: { include_usage: true } });
            for await (const chunk of stream) {
              text += chunk.choices[0]?.delta?.content ?? '';
              finish = chunk.choices[0]?.finish_reason ?? finish;
              usage = chunk.usage ?? usage;
            }

            const runner = client.chat.completions.stream({ model: 'claude', messages: [{ role: 'user', content: 'Secrets?' }], tools });
            const final = await runner.finalChatCompletion();
            const calls = final.choices[0].message.tool_calls.map(c => [c.id, c.function.name, JSON.parse(c.function.arguments)]);
            console.log(JSON.stringify({ text, finish, usage, calls, toolFinish: final.choices[0].finish_reason }));
            """;

        var run = await NodeClients.RunModuleAsync(script, TimeSpan.FromSeconds(60), Environment(test));

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("4200 + 42 = 4242", result["text"]!.GetValue<string>());
        Assert.Equal("stop", result["finish"]!.GetValue<string>());
        Assert.Equal(32, result["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Equal("""[["toolu_015cUijgET79LXjgeYQerN2h","secret_retrieval_tool",{"password":"mellon"}],["toolu_01XZTimPexA7h3EVKesnKt5T","secret_retrieval_tool",{"password":"radiance"}]]""",
            result["calls"]!.ToJsonString());
        Assert.Equal("tool_calls", result["toolFinish"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAINpm_NonStreamingTools_ReceivesToolCalls()
    {
        await using var test = await StartAsync();
        test.Upstream.Behavior = Respond.Json("anthropic/message-tool-use.json");
        const string script = """
            import OpenAI from 'openai';
            const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
            const completion = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Secrets?' }],
              tools: [{ type: 'function', function: { name: 'secret_retrieval_tool', parameters: { type: 'object', properties: {} } } }] });
            console.log(JSON.stringify(completion.choices[0]));
            """;

        var run = await NodeClients.RunModuleAsync(script, TimeSpan.FromSeconds(60), Environment(test));

        Assert.True(run.ExitCode == 0, run.ToString());
        var choice = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal(["toolu_01BUvqBj8Yb34pNAbCJJY1oc", "toolu_01VPuQJ1LonDBYXrr8pqPkqQ"], choice["message"]!["tool_calls"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
    }

    private static Dictionary<string, string> Environment(GatewayUnderTest test) => new()
    {
        ["BASE_URL"] = new Uri(test.Gateway.BaseUrl, "v1").ToString(),
        ["API_KEY"] = GatewayUnderTest.ClientKey,
    };
}
