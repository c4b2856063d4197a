using System.Diagnostics;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Routing;

/// <summary>Connect and total timeouts, per deployment.</summary>
public sealed class TimeoutTests
{
    [Fact]
    public async Task Connect_ToAHostThatDropsPackets_GivesUpAfterTheConnectTimeout_AndFallsBack()
    {
        using var hole = new BlackHole();
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s[RoutedGateway.Key(0, "BaseUrl")] = hole.BaseUrl.ToString();
            s[RoutedGateway.Key(0, "ConnectTimeout")] = "00:00:00.300";
            s[RoutedGateway.Key(1, "Priority")] = "2";
            s["Synaxis:FirstByteTimeout"] = "00:00:30"; // without the connect timeout the call would wait this long
        });
        var clock = Stopwatch.StartNew();

        using var response = await test.PostChatAsync(stream: true);
        var lines = await SseReader.ReadAllAsync(response);

        StreamAssert.IsCompleteAnswerOf(lines, RoutedGateway.Label(1));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.Contains(test.Gateway.Logs.Lines, l => l.Contains("deployment gpt-4-d0 failed before its first byte: ConnectFailed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_ToAHostThatDropsPackets_WithNoFallback_Gives502WithinTheBounds()
    {
        using var hole = new BlackHole();
        await using var test = await RoutedGateway.StartAsync(1, s =>
        {
            s[RoutedGateway.Key(0, "BaseUrl")] = hole.BaseUrl.ToString();
            s["Synaxis:ConnectTimeout"] = "00:00:00.300";
        });
        var clock = Stopwatch.StartNew();

        using var response = await test.PostChatAsync(stream: false);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Contains("upstream_unreachable", body, StringComparison.Ordinal);
        // Three attempts of 0.3 s with short backoffs between them.
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(850), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task TotalTimeout_EndsAStreamThatNeverStopsTrickling()
    {
        await using var test = await RoutedGateway.StartAsync(1, s => s[RoutedGateway.Key(0, "TotalTimeout")] = "00:00:01");
        test.Upstreams[0].Behavior = Respond.Synthetic(1000, TimeSpan.Zero, TimeSpan.FromMilliseconds(20), RoutedGateway.Label(0));
        var clock = Stopwatch.StartNew();

        using var response = await test.PostChatAsync(stream: true);
        var lines = await SseReader.ReadAllAsync(response);

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.True(lines.Count(l => l.Content is not null) > 5, "content flowed until the total timeout");
        Assert.Equal("upstream_timeout", lines[^1].Json!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(lines, l => l.IsDone);
    }
}
