using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Models;
using Synaxis.Gateway.Http.Playground;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Playground;

/// <summary>How the gateway serves the playground's files, and the prices the page reads from <c>/v1/models</c>.</summary>
public sealed class PlaygroundServingTests
{
    [Theory]
    [InlineData("")]
    [InlineData("playground")]
    public async Task Page_IsServedWithoutAKey_WithStrictCspAndRevalidation(string path)
    {
        await using var gateway = await GatewayServer.StartAsync(PlaygroundGateway.Settings());
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };

        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(PlaygroundHandler.ContentSecurityPolicy, csp);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("<script src=\"/playground/playground.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal); // nothing inline, or the CSP would refuse it
    }

    [Theory]
    [InlineData("playground/playground.js", "text/javascript", "sessionStorage")]
    [InlineData("playground/playground.css", "text/css", ".message")]
    public async Task Assets_AreServedWithTheirContentType(string path, string mediaType, string excerpt)
    {
        await using var gateway = await GatewayServer.StartAsync(PlaygroundGateway.Settings());
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(excerpt, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_NeverStoresTheKeyOutsideTheSession_NorWritesHtml()
    {
        await using var gateway = await GatewayServer.StartAsync(PlaygroundGateway.Settings());
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };

        var script = await client.GetStringAsync("playground/playground.js");

        Assert.DoesNotContain("localStorage", script, StringComparison.Ordinal);
        Assert.DoesNotContain("document.cookie", script, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WithTheSameETag_IsNotSentAgain()
    {
        await using var gateway = await GatewayServer.StartAsync(PlaygroundGateway.Settings());
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };
        using var first = await client.GetAsync("playground");

        using var request = new HttpRequestMessage(HttpMethod.Get, "playground");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task UnknownAsset_IsAnOpenAIShaped404()
    {
        await using var gateway = await GatewayServer.StartAsync(PlaygroundGateway.Settings());
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };

        using var response = await client.GetAsync("playground/secrets.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("invalid_request_error", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Models_ShowCatalogPrices_AndTheOpenAISdkStillListsThem()
    {
        var settings = PlaygroundGateway.Settings();
        settings["Synaxis:Models:0:CachedInputPricePerMillion"] = "1.25";
        settings["Synaxis:Models:1:Name"] = "unpriced";
        settings["Synaxis:Models:1:Provider"] = "mock";
        await using var gateway = await GatewayServer.StartAsync(settings);
        using var client = new HttpClient { BaseAddress = gateway.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PlaygroundGateway.ClientKey);

        var list = JsonNode.Parse(await client.GetStringAsync("v1/models"))!["data"]!.AsArray();
        var sdk = new OpenAIModelClient(new ApiKeyCredential(PlaygroundGateway.ClientKey), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl, "v1") });
        OpenAIModelCollection models = await sdk.GetModelsAsync();

        var priced = list.Single(m => m!["id"]!.GetValue<string>() == "gpt-4")!["pricing"]!;
        Assert.Equal(2.5m, priced["input_per_million"]!.GetValue<decimal>());
        Assert.Equal(10m, priced["output_per_million"]!.GetValue<decimal>());
        Assert.Equal(1.25m, priced["cached_input_per_million"]!.GetValue<decimal>());
        Assert.Null(list.Single(m => m!["id"]!.GetValue<string>() == "unpriced")!["pricing"]);
        Assert.Equal(["gpt-4", "unpriced"], models.Select(m => m.Id).Order());
    }
}
