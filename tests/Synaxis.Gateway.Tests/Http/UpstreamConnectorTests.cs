using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Routing;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Http;

/// <summary>Connections to an upstream host give up after the connect timeout of the deployments on it.</summary>
public sealed class UpstreamConnectorTests
{
    private readonly FakeTimeProvider _time = new();

    private UpstreamConnector Connector(params DeploymentOptions[] deployments) => new(
        new ModelCatalog(Options.Create(new GatewayOptions
        {
            Models = [new ModelOptions { Name = "gpt-4", Provider = "openai", Deployments = [.. deployments] }],
        })),
        Options.Create(new GatewayOptions { ConnectTimeout = TimeSpan.FromSeconds(10) }),
        _time);

    [Fact]
    public void Timeout_IsTheShortestOfTheDeploymentsOnAHost_OrTheGatewayDefault()
    {
        var connector = Connector(
            new DeploymentOptions { Name = "a", BaseUrl = "https://EastUS.example.com/openai/v1", ConnectTimeout = TimeSpan.FromSeconds(5) },
            new DeploymentOptions { Name = "b", BaseUrl = "https://eastus.example.com/other/v1", ConnectTimeout = TimeSpan.FromSeconds(2) },
            new DeploymentOptions { Name = "c", BaseUrl = "http://localhost:11434/v1" });

        Assert.Equal(TimeSpan.FromSeconds(2), connector.TimeoutFor("eastus.example.com", 443));
        Assert.Equal(TimeSpan.FromSeconds(10), connector.TimeoutFor("localhost", 11434));
        Assert.Equal(TimeSpan.FromSeconds(10), connector.TimeoutFor("eastus.example.com", 8443));
    }

    [Fact]
    public void Timeout_OfADeploymentOnItsProvidersDefaultAddress_AppliesThere()
    {
        var connector = new UpstreamConnector(
            new ModelCatalog(Options.Create(new GatewayOptions
            {
                Models = [new ModelOptions { Name = "claude", Provider = "anthropic", ConnectTimeout = TimeSpan.FromSeconds(4) }],
            })),
            Options.Create(new GatewayOptions()),
            _time);

        Assert.Equal(TimeSpan.FromSeconds(4), connector.TimeoutFor("api.anthropic.com", 443));
    }

    [Fact]
    public async Task Connect_ToAHostThatDropsPackets_FailsAsAConnectionError_WhenTheTimeoutRunsOut()
    {
        using var hole = new BlackHole();
        var connector = Connector(new DeploymentOptions { Name = "a", BaseUrl = hole.BaseUrl.ToString(), ConnectTimeout = TimeSpan.FromSeconds(3) });
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = connector.ConnectAsync });

        var send = client.GetAsync(hole.BaseUrl);
        await Task.Delay(100);
        Assert.False(send.IsCompleted, "the connection neither completes nor fails by itself");

        // The connect may start its timer a moment after the request was sent: keep the clock moving until it fires.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!send.IsCompleted && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromSeconds(3));
            await Task.Delay(50);
        }

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => send.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(HttpRequestError.ConnectionError, exception.HttpRequestError);
    }

    [Fact]
    public async Task Connect_ToAListeningHost_Succeeds()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var connector = Connector(new DeploymentOptions { Name = "a", BaseUrl = upstream.BaseUrl.ToString() });
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = connector.ConnectAsync });

        using var response = await client.PostAsync(new Uri(upstream.BaseUrl, "v1/chat/completions"), new StringContent("{}")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(response.IsSuccessStatusCode);
    }
}
