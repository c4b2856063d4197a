using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Synaxis.Testing;
using Xunit.Abstractions;

namespace Synaxis.IntegrationTests.Streaming;

public sealed class BackpressureTests(ITestOutputHelper output)
{
    private const int Events = 4000;
    private const int ContentBytes = 8 * 1024;

    [Fact]
    public async Task Stream_WhenClientReadsSlowly_GatewayReadsUpstreamSlowly()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        var written = 0;
        var chunk = Encoding.UTF8.GetBytes("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
            + new string('a', ContentBytes) + "\"},\"finish_reason\":null}]}\n\n");
        test.Upstream.Behavior = async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            context.Features.Get<IHttpResponseBodyFeature>()!.DisableBuffering();
            for (var i = 0; i < Events; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                Interlocked.Increment(ref written);
            }

            await context.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), context.RequestAborted);
        };

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        // The client takes the headers and then reads nothing; the upstream must stall behind it.
        await FakeUpstream.WaitUntilAsync(() => Volatile.Read(ref written) > 0, TimeSpan.FromSeconds(10), "the upstream starts writing");
        var stalledAt = await SettledAsync(() => Volatile.Read(ref written));
        output.WriteLine($"Upstream stalled after {stalledAt} of {Events} events.");
        Assert.True(stalledAt < Events / 2, $"the upstream wrote {stalledAt} of {Events} events ({stalledAt * (long)ContentBytes / 1_000_000} MB) to a client that read nothing");

        var lines = await SseReader.ReadAllAsync(response, TimeSpan.FromSeconds(60));
        Assert.Equal(Events, lines.Count(l => l.Content is { Length: ContentBytes }));
        Assert.True(lines[^1].IsDone);
    }

    /// <summary>Waits until a counter stops moving (bounded), returning where it stopped.</summary>
    private static async Task<int> SettledAsync(Func<int> read)
    {
        var last = read();
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(100);
            var now = read();
            if (now == last && i >= 5)
            {
                return now;
            }

            last = now;
        }

        return last;
    }
}
