using System.Text.Json.Nodes;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Routing;

/// <summary>What clients see of the routing: public model names, and the deployment that answered.</summary>
public sealed class CatalogSurfaceTests
{
    [Fact]
    public async Task Models_ListsPublicNamesOnly_NeverDeployments()
    {
        await using var test = await RoutedGateway.StartAsync(3, s => s["Synaxis:Models:0:Aliases:0"] = "gpt-4-turbo");

        var list = JsonNode.Parse(await test.Client.GetStringAsync("v1/models"))!["data"]!.AsArray();
        var byAlias = JsonNode.Parse(await test.Client.GetStringAsync("v1/models/gpt-4-turbo"))!;

        Assert.Equal(["gpt-4"], list.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("gpt-4", byAlias["id"]!.GetValue<string>());
        using var deployment = await test.Client.GetAsync("v1/models/gpt-4-d0");
        Assert.Equal(404, (int)deployment.StatusCode);
    }

    [Fact]
    public async Task Stream_NamesTheServingDeployment_InItsHeaders()
    {
        await using var test = await RoutedGateway.StartAsync(1);

        using var response = await test.PostChatAsync(stream: true);

        Assert.Equal("gpt-4-d0", StreamAssert.DeploymentOf(response));
        StreamAssert.IsCompleteAnswerOf(await SseReader.ReadAllAsync(response), RoutedGateway.Label(0));
    }

    [Fact]
    public async Task ErrorBeforeAnyAttempt_NamesNoDeployment()
    {
        await using var test = await RoutedGateway.StartAsync(1);

        using var response = await test.Client.PostAsync("v1/chat/completions", GatewayUnderTest.Json("""{"model":"gpt-4","messages":[]}"""));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Null(StreamAssert.DeploymentOf(response));
    }

    [Fact]
    public async Task BrowserOnAnotherOrigin_MayReadTheDeploymentHeader()
    {
        await using var test = await RoutedGateway.StartAsync(1, s => s["Synaxis:CorsOrigins:0"] = "http://127.0.0.1:3000");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = GatewayUnderTest.Json(GatewayUnderTest.ChatBody(stream: false)) };
        request.Headers.Add("Origin", "http://127.0.0.1:3000");
        test.Upstreams[0].Behavior = Respond.Json(Respond.Completion);

        using var response = await test.Client.SendAsync(request);

        Assert.Contains("x-synaxis-deployment", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Models_ShowThePricesOfThePrimaryDeployment_NotOfAFallback()
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            // Listed first, but a fallback: the model's prices are those of d1, which serves while it is healthy.
            s[RoutedGateway.Key(0, "Priority")] = "2";
            s[RoutedGateway.Key(0, "InputPricePerMillion")] = "30";
            s[RoutedGateway.Key(0, "OutputPricePerMillion")] = "60";
            s[RoutedGateway.Key(1, "InputPricePerMillion")] = "0.15";
            s[RoutedGateway.Key(1, "OutputPricePerMillion")] = "0.6";
        });

        var pricing = JsonNode.Parse(await test.Client.GetStringAsync("v1/models/gpt-4"))!["pricing"]!;

        Assert.Equal(0.15m, pricing["input_per_million"]!.GetValue<decimal>());
        Assert.Equal(0.6m, pricing["output_per_million"]!.GetValue<decimal>());
        Assert.Null(pricing["cached_input_per_million"]);
    }
}
