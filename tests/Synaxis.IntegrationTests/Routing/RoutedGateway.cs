using System.Globalization;
using System.Net.Http.Headers;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Routing;

/// <summary>
/// A gateway whose model <c>gpt-4</c> has one deployment per fake upstream (<c>gpt-4-d0</c>, <c>gpt-4-d1</c> …,
/// all priority 1 unless a test says otherwise), with short retry delays so tests run in seconds.
/// </summary>
public sealed class RoutedGateway : IAsyncDisposable
{
    private RoutedGateway(FakeUpstream[] upstreams, GatewayServer gateway)
    {
        Upstreams = upstreams;
        Gateway = gateway;
        Client = new HttpClient { BaseAddress = gateway.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayUnderTest.ClientKey);
    }

    public IReadOnlyList<FakeUpstream> Upstreams { get; }

    public GatewayServer Gateway { get; }

    public HttpClient Client { get; }

    public static string Deployment(int index) => "gpt-4-d" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The settings key of a field of deployment <paramref name="index"/>.</summary>
    public static string Key(int index, string field) => $"Synaxis:Models:0:Deployments:{index}:{field}";

    public static async Task<RoutedGateway> StartAsync(int deployments, Action<Dictionary<string, string?>>? configure = null)
    {
        var upstreams = new FakeUpstream[deployments];
        for (var i = 0; i < deployments; i++)
        {
            upstreams[i] = await FakeUpstream.StartAsync();
            upstreams[i].Behavior = Respond.Synthetic(5, TimeSpan.Zero, TimeSpan.Zero, Label(i));
        }

        var settings = new Dictionary<string, string?>
        {
            ["Synaxis:ApiKeys:0"] = GatewayUnderTest.ClientKey,
            ["OPENAI_API_KEY"] = "sk-upstream-test-key",
            ["Synaxis:Models:0:Name"] = "gpt-4",
            ["Synaxis:Models:0:Provider"] = "openai",
            ["Synaxis:Models:0:UpstreamModel"] = "gpt-4o",
            ["Synaxis:Models:0:ApiKeySecret"] = "OPENAI_API_KEY",
            ["Synaxis:Routing:RetryDelay"] = "00:00:00.020",
            ["Synaxis:Routing:MaxRetryDelay"] = "00:00:00.500",
        };
        for (var i = 0; i < deployments; i++)
        {
            settings[Key(i, "Name")] = Deployment(i);
            settings[Key(i, "BaseUrl")] = upstreams[i].BaseUrl.ToString();
        }

        configure?.Invoke(settings);
        var gateway = await GatewayServer.StartAsync(settings);
        return new RoutedGateway(upstreams, gateway);
    }

    /// <summary>What deployment <paramref name="index"/>'s synthetic stream says: <c>d1-0 d1-1 …</c>.</summary>
    public static string Label(int index) => $"d{index.ToString(CultureInfo.InvariantCulture)}-";

    public Task<HttpResponseMessage> PostChatAsync(bool stream, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = GatewayUnderTest.Json(GatewayUnderTest.ChatBody(stream)) };
        return Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        foreach (var upstream in Upstreams)
        {
            await upstream.DisposeAsync();
        }
    }
}
