using System.Diagnostics;
using Synaxis.Testing;
using Xunit.Abstractions;

namespace Synaxis.IntegrationTests.Routing;

/// <summary>Many concurrent streams while one of three deployments fails half its calls: every stream still ends whole.</summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Streams = 200;
    private const int Chunks = 20;

    [Fact]
    public async Task TwoHundredConcurrentStreams_OneDeploymentFailingHalfItsCalls_EveryStreamEndsWithItsWholeText()
    {
        await using var test = await RoutedGateway.StartAsync(3);
        for (var i = 0; i < 3; i++)
        {
            test.Upstreams[i].Behavior = Healthy(i);
        }

        // Every other call fails, in each of the ways a call can fail before its first chunk.
        var healthy = Healthy(2);
        test.Upstreams[2].Behavior = Respond.Cycle(
            Faults.ServerError(500), healthy,
            Faults.ResetBeforeHeaders(), healthy,
            Faults.ServerError(503), healthy,
            Faults.MalformedStream(), healthy,
            Faults.RateLimited("0"), healthy);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Streams }) { BaseAddress = test.Gateway.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", GatewayUnderTest.ClientKey);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, Streams).Select(_ => StreamOnceAsync(client, deadline.Token)));
        clock.Stop();

        foreach (var (deployment, lines) in results)
        {
            Assert.NotNull(deployment);
            var index = int.Parse(deployment!["gpt-4-d".Length..], System.Globalization.CultureInfo.InvariantCulture);
            StreamAssert.IsCompleteAnswerOf(lines, RoutedGateway.Label(index), Chunks);
        }

        var calls = test.Upstreams.Select(u => u.Requests.Count).ToArray();
        var served = results.GroupBy(r => r.Deployment).ToDictionary(g => g.Key!, g => g.Count());
        output.WriteLine($"{Streams} streams in {clock.Elapsed.TotalSeconds:F2} s; upstream calls {string.Join("/", calls)}; served {string.Join(", ", served.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}");
        Assert.True(calls[2] > 0, "the failing deployment took part");
        Assert.True(calls.Sum() > Streams, "some calls failed and were answered by another deployment");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"took {clock.Elapsed}");
    }

    private static Func<Microsoft.AspNetCore.Http.HttpContext, System.Text.Json.Nodes.JsonObject, Task> Healthy(int index) =>
        Respond.Synthetic(Chunks, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(2), RoutedGateway.Label(index));

    private static async Task<(string? Deployment, List<SseLine> Lines)> StreamOnceAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = GatewayUnderTest.Json(GatewayUnderTest.ChatBody(stream: true)) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var lines = new List<SseLine>();
        await foreach (var line in SseReader.ReadAsync(response, cancellationToken))
        {
            lines.Add(line);
        }

        return (StreamAssert.DeploymentOf(response), lines);
    }
}
