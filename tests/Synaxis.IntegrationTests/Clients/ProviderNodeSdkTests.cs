using System.Text.Json.Nodes;
using Synaxis.IntegrationTests.Providers;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Clients;

/// <summary>
/// The official <c>openai</c> npm package, run by node against the gateway, for a model served by OpenAI, by
/// Azure OpenAI and by Gemini: streams (plain and through the SDK's accumulating <c>stream()</c> helper,
/// which rejects a malformed chunk stream), whole answers, tool calls and embeddings.
/// </summary>
public sealed class ProviderNodeSdkTests
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(60);

    private const string Script = """
        import OpenAI from 'openai';

        const client = new OpenAI({ baseURL: process.env.SYNAXIS_URL, apiKey: process.env.SYNAXIS_KEY, maxRetries: 0 });
        const model = process.env.SYNAXIS_MODEL;
        const messages = [{ role: 'user', content: 'What is 4200 + 42?' }];
        const tools = [{ type: 'function', function: {
          name: 'secret_retrieval_tool', description: 'Looks up a secret by its password.',
          parameters: { type: 'object', properties: { password: { type: 'string' } }, required: ['password'] } } }];
        const result = {};

        let text = '', finish = null, usage = null;
        for await (const chunk of await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } })) {
          const choice = chunk.choices[0];
          if (choice) { text += choice.delta?.content ?? ''; finish = choice.finish_reason ?? finish; }
          usage = chunk.usage ?? usage;
        }
        result.stream = { text, finish, usage };

        let choiceless = 0;
        for await (const chunk of await client.chat.completions.create({ model, messages, stream: true })) {
          if (chunk.choices.length === 0) choiceless++;
        }
        result.choicelessChunksUnasked = choiceless;

        const completion = await client.chat.completions.create({ model, messages });
        result.complete = { text: completion.choices[0].message.content, finish: completion.choices[0].finish_reason, usage: completion.usage };

        const final = await client.chat.completions.stream({ model, messages, tools }).finalChatCompletion();
        result.toolStream = { finish: final.choices[0].finish_reason, calls: final.choices[0].message.tool_calls };

        const toolCompletion = await client.chat.completions.create({ model, messages, tools });
        result.toolComplete = { finish: toolCompletion.choices[0].finish_reason, calls: toolCompletion.choices[0].message.tool_calls };

        const embedding = await client.embeddings.create({ model, input: 'The food was delicious' });
        result.embedding = Array.from(embedding.data[0].embedding);

        console.log(JSON.stringify(result));
        """;

    public static TheoryData<string> Providers => ["openai", "azure", "gemini"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OpenAINpmPackage_Chats_CallsTools_AndEmbeds(string name)
    {
        var provider = ProviderCase.For(name);
        await using var test = await ProviderModels.StartAllAsync();
        var vector = EmbeddingsUpstream.Answer(test.Upstream, name);
        var embeddings = test.Upstream.Behavior;
        var chat = provider.Upstream;
        test.Upstream.Behavior = (context, request) =>
            context.Request.Path.Value!.EndsWith("embeddings", StringComparison.Ordinal) || context.Request.Path.Value.EndsWith(":batchEmbedContents", StringComparison.Ordinal)
                ? embeddings(context, request)
                : chat(context, request);

        var run = await NodeClients.RunModuleAsync(Script, NodeTimeout, new Dictionary<string, string>
        {
            ["SYNAXIS_URL"] = new Uri(test.Gateway.BaseUrl, "v1").ToString(),
            ["SYNAXIS_KEY"] = GatewayUnderTest.ClientKey,
            ["SYNAXIS_MODEL"] = provider.Model,
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(provider.StreamedText, result["stream"]!["text"]!.GetValue<string>());
        Assert.Equal("stop", result["stream"]!["finish"]!.GetValue<string>());
        Assert.True(result["stream"]!["usage"]!["total_tokens"]!.GetValue<int>() > 0);
        Assert.Equal(0, result["choicelessChunksUnasked"]!.GetValue<int>());
        Assert.Equal(provider.CompletedText, result["complete"]!["text"]!.GetValue<string>());
        Assert.Equal("stop", result["complete"]!["finish"]!.GetValue<string>());
        Assert.Equal(provider.StreamedToolCalls, Calls(result["toolStream"]!));
        Assert.Equal("tool_calls", result["toolStream"]!["finish"]!.GetValue<string>());
        Assert.Equal(provider.CompletedToolCalls, Calls(result["toolComplete"]!));
        Assert.Equal(vector, result["embedding"]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    private static List<(string, string)> Calls(JsonNode answer) =>
        answer["calls"]!.AsArray().Select(c => (c!["function"]!["name"]!.GetValue<string>(), ProviderCase.Normalise(c["function"]!["arguments"]!.GetValue<string>()))).ToList();
}
