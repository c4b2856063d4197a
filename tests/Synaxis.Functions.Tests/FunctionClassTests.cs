using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Synaxis.Gateway.Health;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Http.Messages;
using Synaxis.Gateway.Http.Playground;
using Synaxis.Testing;

namespace Synaxis.Functions.Tests;

/// <summary>The [Function] classes called as the worker calls them, over the shared handlers.</summary>
public sealed class FunctionClassTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        var settings = GatewayServer.OpenAIModel(_upstream.BaseUrl);
        settings["Synaxis:Models:1:Name"] = "synaxis-mock";
        settings["Synaxis:Models:1:Provider"] = "mock";
        settings["Synaxis:Mock:FirstTokenDelay"] = "00:00:00";
        settings["Synaxis:Mock:TokenDelay"] = "00:00:00";
        settings["Synaxis:ApiKeys:0"] = "sk-syn-function-test";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddSynaxisGateway(configuration).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static string Chat(string model, bool stream) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}],"stream":{{(stream ? "true" : "false")}}}""";

    [Fact]
    public async Task ChatCompletions_Streamed_WritesEventsAsTheyArrive()
    {
        _upstream.Behavior = Respond.Replay("openai/chat-stream-text.sse", betweenDelay: TimeSpan.FromMilliseconds(60));
        var http = new FunctionHttpContext("POST", "/v1/chat/completions", Chat("gpt-4", stream: true), "sk-syn-function-test");
        var function = new ChatCompletionsFunction(_services.GetRequiredService<ChatCompletionsHandler>());

        var run = function.RunAsync(http.Context.Request, http.FunctionContext);
        var first = await http.Body.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var firstText = Encoding.UTF8.GetString(first.Buffer);
        http.Body.AdvanceTo(first.Buffer.End);

        Assert.False(run.IsCompleted, "the first event was written while the upstream still streams");
        Assert.StartsWith("data: {", firstText, StringComparison.Ordinal);
        Assert.Equal("text/event-stream; charset=utf-8", http.Context.Response.ContentType);
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.EndsWith("data: [DONE]\n\n", await http.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_WhenHostCancelsInvocation_CancelsUpstream()
    {
        _upstream.Behavior = Respond.Replay("openai/chat-stream-text.sse", betweenDelay: TimeSpan.FromMilliseconds(300));
        var http = new FunctionHttpContext("POST", "/v1/chat/completions", Chat("gpt-4", stream: true), "sk-syn-function-test");
        var function = new ChatCompletionsFunction(_services.GetRequiredService<ChatCompletionsHandler>());

        var run = function.RunAsync(http.Context.Request, http.FunctionContext);
        await http.Body.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await http.Invocation.CancelAsync();

        await run.WaitAsync(TimeSpan.FromSeconds(10));
        await FakeUpstream.WaitUntilAsync(() => _upstream.AbortedCount == 1, TimeSpan.FromSeconds(10), "the upstream call is cancelled");
    }

    [Fact]
    public async Task ChatCompletions_NonStreamedFromMock_ReturnsChatCompletion()
    {
        var http = new FunctionHttpContext("POST", "/v1/chat/completions", Chat("synaxis-mock", stream: false), "sk-syn-function-test");
        var function = new ChatCompletionsFunction(_services.GetRequiredService<ChatCompletionsHandler>());

        await function.RunAsync(http.Context.Request, http.FunctionContext);
        var completion = JsonNode.Parse(await http.ReadToEndAsync())!;

        Assert.Equal(200, http.Context.Response.StatusCode);
        Assert.Equal("chat.completion", completion["object"]!.GetValue<string>());
        Assert.StartsWith("Hello from the Synaxis mock model", completion["choices"]![0]!["message"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_WithoutKey_Gives401()
    {
        var http = new FunctionHttpContext("POST", "/v1/chat/completions", Chat("gpt-4", stream: false));
        var function = new ChatCompletionsFunction(_services.GetRequiredService<ChatCompletionsHandler>());

        await function.RunAsync(http.Context.Request, http.FunctionContext);

        Assert.Equal(401, http.Context.Response.StatusCode);
        Assert.Contains("\"error\"", await http.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_StreamedFromMock_WritesAnthropicEventsWithTheXApiKey()
    {
        var http = new FunctionHttpContext("POST", "/v1/messages", """{"model":"synaxis-mock","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        http.Context.Request.Headers["x-api-key"] = "sk-syn-function-test";
        var function = new MessagesFunction(_services.GetRequiredService<MessagesHandler>());

        await function.RunAsync(http.Context.Request, http.FunctionContext);
        var body = await http.ReadToEndAsync();

        Assert.Equal(200, http.Context.Response.StatusCode);
        Assert.StartsWith("event: message_start\ndata: {", body, StringComparison.Ordinal);
        Assert.Contains("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}", body, StringComparison.Ordinal);
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_ListAndGet_ServeTheCatalog()
    {
        var functions = new ModelsFunctions(_services.GetRequiredService<ModelsHandler>());
        var list = new FunctionHttpContext("GET", "/v1/models", bearer: "sk-syn-function-test");
        var one = new FunctionHttpContext("GET", "/v1/models/synaxis-mock", bearer: "sk-syn-function-test");

        await functions.ListAsync(list.Context.Request, list.FunctionContext);
        await functions.GetAsync(one.Context.Request, "synaxis-mock", one.FunctionContext);

        var ids = JsonNode.Parse(await list.ReadToEndAsync())!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>());
        Assert.Equal(["gpt-4", "synaxis-mock"], ids);
        Assert.Equal("synaxis-mock", JsonNode.Parse(await one.ReadToEndAsync())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Embeddings_FromOpenAI_PassesTheRecordedListOn()
    {
        _upstream.Behavior = Respond.Json("openai/embeddings-base64.json");
        var http = new FunctionHttpContext("POST", "/v1/embeddings", """{"model":"gpt-4","input":"The food was delicious","encoding_format":"base64"}""", "sk-syn-function-test");

        await new EmbeddingsFunction(_services.GetRequiredService<EmbeddingsHandler>()).RunAsync(http.Context.Request, http.FunctionContext);

        Assert.Equal(200, http.Context.Response.StatusCode);
        Assert.Equal(Fixtures.Text("openai/embeddings-base64.json"), await http.ReadToEndAsync());
        Assert.Equal("/v1/embeddings", _upstream.Requests.Single().Path);
    }

    [Fact]
    public async Task Embeddings_FromMock_AnswersAList()
    {
        var http = new FunctionHttpContext("POST", "/v1/embeddings", """{"model":"synaxis-mock","input":["a","b"],"dimensions":8}""", "sk-syn-function-test");

        await new EmbeddingsFunction(_services.GetRequiredService<EmbeddingsHandler>()).RunAsync(http.Context.Request, http.FunctionContext);

        var list = JsonNode.Parse(await http.ReadToEndAsync())!;
        Assert.Equal(2, list["data"]!.AsArray().Count);
        Assert.Equal(8, list["data"]![1]!["embedding"]!.AsArray().Count);
    }

    [Fact]
    public async Task Health_AnswersHealthy()
    {
        var http = new FunctionHttpContext("GET", "/health");

        await new HealthFunction(_services.GetRequiredService<HealthHandler>()).RunAsync(http.Context.Request, http.FunctionContext);

        Assert.Equal("healthy", JsonNode.Parse(await http.ReadToEndAsync())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Readiness_WithSecretsFromConfigurationAndNoBillingStorage_AnswersReady()
    {
        var http = new FunctionHttpContext("GET", "/health/ready");
        await new ReadinessFunction(_services.GetRequiredService<ReadinessHandler>()).RunAsync(http.Context.Request, http.FunctionContext);

        var answer = JsonNode.Parse(await http.ReadToEndAsync())!;
        Assert.Equal(200, http.Context.Response.StatusCode);
        Assert.Equal("ready", answer["status"]!.GetValue<string>());
        Assert.Equal("healthy", answer["checks"]!["key_vault"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", answer["checks"]!["billing_storage"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Playground_ServesThePageAndItsScript_WithTheirPolicy()
    {
        var functions = new PlaygroundFunctions(_services.GetRequiredService<PlaygroundHandler>());
        var page = new FunctionHttpContext("GET", "/playground");
        var script = new FunctionHttpContext("GET", "/playground/playground.js");

        await functions.PageAsync(page.Context.Request, page.FunctionContext);
        await functions.AssetAsync(script.Context.Request, "playground.js", script.FunctionContext);

        Assert.Equal("text/html; charset=utf-8", page.Context.Response.ContentType);
        Assert.Equal(PlaygroundHandler.ContentSecurityPolicy, page.Context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Contains("/playground/playground.js", await page.ReadToEndAsync(), StringComparison.Ordinal);
        Assert.Equal("text/javascript; charset=utf-8", script.Context.Response.ContentType);
        Assert.Contains("sessionStorage", await script.ReadToEndAsync(), StringComparison.Ordinal);
    }
}
