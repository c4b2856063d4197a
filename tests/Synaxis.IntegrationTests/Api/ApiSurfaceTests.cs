using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Synaxis.Gateway.Hosting;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Api;

public sealed class ApiSurfaceTests
{
    [Fact]
    public async Task Completion_NonStreamed_ReturnsUpstreamChatCompletionUnchanged()
    {
        await using var test = await GatewayUnderTest.StartAsync();

        using var response = await test.Client.PostAsync("v1/chat/completions", GatewayUnderTest.Json(GatewayUnderTest.ChatBody(false)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Fixtures.Text(Respond.Completion), body);
        Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").Single(), StringComparison.Ordinal);
        Assert.False(test.Upstream.Requests.Single().Json.ContainsKey("stream_options"));
    }

    [Fact]
    public async Task Models_ListsPublicNamesAndGetsOne()
    {
        await using var test = await GatewayUnderTest.StartAsync(s =>
        {
            s["Synaxis:Models:0:Aliases:0"] = "gpt-4-latest";
            s["Synaxis:Models:1:Name"] = "synaxis-mock";
            s["Synaxis:Models:1:Provider"] = "mock";
        });

        var list = JsonNode.Parse(await test.Client.GetStringAsync("v1/models"))!;
        var alias = JsonNode.Parse(await test.Client.GetStringAsync("v1/models/gpt-4-latest"))!;
        using var missing = await test.Client.GetAsync("v1/models/gpt-9");

        Assert.Equal("list", list["object"]!.GetValue<string>());
        Assert.Equal(["gpt-4", "synaxis-mock"], list["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("gpt-4", alias["id"]!.GetValue<string>());
        Assert.Equal("model", alias["object"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Health_AnswersWithoutKey()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Client.DefaultRequestHeaders.Authorization = null;

        using var response = await test.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cors_PreflightFromAnotherOrigin_AllowsAuthorizationHeader()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:CorsOrigins:0"] = "http://127.0.0.1:3000");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "v1/chat/completions");
        preflight.Headers.Add("Origin", "http://127.0.0.1:3000");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var response = await test.Client.SendAsync(preflight);
        using var stranger = new HttpRequestMessage(HttpMethod.Options, "v1/chat/completions");
        stranger.Headers.Add("Origin", "http://evil.example");
        stranger.Headers.Add("Access-Control-Request-Method", "POST");
        using var refused = await test.Client.SendAsync(stranger);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("http://127.0.0.1:3000", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task OpenGateway_WithoutKeys_ServesAnyoneAndSaysSoAtStart()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s.Remove("Synaxis:ApiKeys:0"));
        test.Client.DefaultRequestHeaders.Authorization = null;

        using var response = await test.Client.PostAsync("v1/chat/completions", GatewayUnderTest.Json(GatewayUnderTest.ChatBody(false)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(test.Gateway.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("NO API KEYS CONFIGURED", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("true", 200)]
    public async Task OpenGateway_InAzure_RefusesCallsUnlessAnonymousIsAllowed(string? allowAnonymous, int expected)
    {
        await using var test = await GatewayUnderTest.StartAsync(
            s =>
            {
                s.Remove("Synaxis:ApiKeys:0");
                s["Synaxis:AllowAnonymous"] = allowAnonymous;
            },
            host => host.Services.AddSingleton<IHostEnvironmentInfo>(new InAzure()));
        test.Client.DefaultRequestHeaders.Authorization = null;

        using var response = await test.Client.PostAsync("v1/chat/completions", GatewayUnderTest.Json(GatewayUnderTest.ChatBody(false)));

        Assert.Equal(expected, (int)response.StatusCode);
    }

    private sealed class InAzure : IHostEnvironmentInfo
    {
        public bool IsAzure => true;
    }
}
