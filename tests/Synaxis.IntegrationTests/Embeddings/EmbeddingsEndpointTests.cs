using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Synaxis.IntegrationTests.Providers;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Embeddings;

/// <summary><c>POST /v1/embeddings</c> on the real gateway, for models served by OpenAI, Azure OpenAI, Gemini and the mock.</summary>
public sealed class EmbeddingsEndpointTests
{
    private const string Recorded = "openai/embeddings-base64.json";

    private static async Task<(HttpResponseMessage Response, JsonNode? Json)> PostAsync(GatewayUnderTest test, string body)
    {
        var response = await test.Client.PostAsync("v1/embeddings", GatewayUnderTest.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task OpenAIModel_GetsTheUpstreamsAnswerAsItCame()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Json(Recorded);

        var response = await test.Client.PostAsync("v1/embeddings", GatewayUnderTest.Json("""{"model":"gpt-4","input":"The food was delicious","encoding_format":"base64"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Fixtures.Text(Recorded), await response.Content.ReadAsStringAsync());
        var sent = test.Upstream.Requests.Single();
        Assert.Equal("/v1/embeddings", sent.Path);
        Assert.Equal("gpt-4o", sent.Json["model"]!.GetValue<string>());
        Assert.NotNull(response.Headers.GetValues("x-request-id").Single());
    }

    [Fact]
    public async Task AzureModel_GoesToTheDeploymentsEmbeddings()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Json(Recorded);

        var (response, _) = await PostAsync(test, $$"""{"model":"{{ProviderModels.Azure}}","input":["a","b"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = test.Upstream.Requests.Single();
        Assert.Equal(("/openai/deployments/gpt-4o-prod/embeddings", "?api-version=2024-10-21"), (sent.Path, sent.Query));
        Assert.Equal(ProviderModels.AzureKey, sent.Headers["api-key"]);
    }

    [Fact]
    public async Task GeminiModel_IsTranslatedFromBatchEmbedContents()
    {
        await using var test = await ProviderModels.StartAllAsync();
        // Shaped as Google's API reference documents batchEmbedContents; no recording of one is available.
        test.Upstream.Behavior = (context, _) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"embeddings":[{"values":[0.5,-0.25]},{"values":[0.125,1]}]}""", context.RequestAborted);
        };

        var (response, json) = await PostAsync(test, $$"""{"model":"{{ProviderModels.Gemini}}","input":["one","two"],"dimensions":2}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:batchEmbedContents", test.Upstream.Requests.Single().Path);
        Assert.Equal("[0.125,1]", json!["data"]![1]!["embedding"]!.ToJsonString());
        Assert.Equal(2, json["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task MockModel_AnswersWithoutAnUpstream()
    {
        await using var test = await ProviderModels.StartAllAsync(s =>
        {
            s["Synaxis:Models:3:Name"] = "synaxis-mock";
            s["Synaxis:Models:3:Provider"] = "mock";
        });

        var (response, json) = await PostAsync(test, """{"model":"synaxis-mock","input":"hello","dimensions":16}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(16, json!["data"]![0]!["embedding"]!.AsArray().Count);
        Assert.Empty(test.Upstream.Requests);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4"}""", 400, "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4","input":[]}""", 400, "invalid_value")]
    [InlineData("""{"model":"gpt-4","input":"x","encoding_format":"int8"}""", 400, "invalid_value")]
    [InlineData("""{"model":"text-embedding-9","input":"x"}""", 404, "model_not_found")]
    [InlineData("{not json", 400, "invalid_json")]
    public async Task BadRequests_GetOpenAIErrors_WithoutCallingTheUpstream(string body, int status, string code)
    {
        await using var test = await ProviderModels.StartAllAsync();

        var (response, json) = await PostAsync(test, body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, json!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(test.Upstream.Requests);
    }

    [Fact]
    public async Task ModelOfAProviderWithoutEmbeddings_Is400ModelNotSupported()
    {
        await using var test = await ProviderModels.StartAllAsync(s =>
        {
            s["Synaxis:Models:3:Name"] = "claude";
            s["Synaxis:Models:3:Provider"] = "anthropic";
        });

        var (response, json) = await PostAsync(test, """{"model":"claude","input":"x"}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(("model_not_supported", "model"), (json!["error"]!["code"]!.GetValue<string>(), json["error"]!["param"]!.GetValue<string>()));
        Assert.Empty(test.Upstream.Requests);
    }

    [Fact]
    public async Task WithoutKey_Is401()
    {
        await using var test = await ProviderModels.StartAllAsync();
        using var anonymous = new HttpClient { BaseAddress = test.Gateway.BaseUrl };

        var response = await anonymous.PostAsync("v1/embeddings", GatewayUnderTest.Json("""{"model":"gpt-4","input":"x"}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UpstreamRateLimit_Is429WithRetryAfter()
    {
        await using var test = await ProviderModels.StartAllAsync();
        test.Upstream.Behavior = Respond.Json("openai/error-429-rate-limit-exceeded.json", 429, ("retry-after", "3"));

        var (response, json) = await PostAsync(test, """{"model":"gpt-4","input":"x"}""");

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", json!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetOnTheRoute_Is405()
    {
        await using var test = await ProviderModels.StartAllAsync();

        var response = await test.Client.GetAsync("v1/embeddings");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
