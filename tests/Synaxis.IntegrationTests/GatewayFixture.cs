using System.Net.Http.Headers;
using System.Text;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests;

/// <summary>A fake upstream and a gateway pointed at it, started per test with the settings it needs.</summary>
public sealed class GatewayUnderTest : IAsyncDisposable
{
    public const string ClientKey = "sk-syn-test-client-key-0123456789";

    private GatewayUnderTest(FakeUpstream upstream, GatewayServer gateway)
    {
        Upstream = upstream;
        Gateway = gateway;
        Client = new HttpClient { BaseAddress = gateway.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
    }

    public FakeUpstream Upstream { get; }

    public GatewayServer Gateway { get; }

    public HttpClient Client { get; }

    public static async Task<GatewayUnderTest> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configureHost = null)
    {
        var upstream = await FakeUpstream.StartAsync();
        var settings = GatewayServer.OpenAIModel(upstream.BaseUrl);
        settings["Synaxis:ApiKeys:0"] = ClientKey;
        configure?.Invoke(settings);
        var gateway = await GatewayServer.StartAsync(settings, configureHost);
        return new GatewayUnderTest(upstream, gateway);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string ChatBody(bool stream, string extra = "") =>
        $$"""{"model":"gpt-4","messages":[{"role":"user","content":"Tell me a short story about a robot."}],"stream":{{(stream ? "true" : "false")}}{{extra}}}""";

    /// <summary>Posts a chat request and returns as soon as the response headers are in.</summary>
    public Task<HttpResponseMessage> PostChatAsync(string body, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json(body) };
        return Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
