using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Synaxis.IntegrationTests.Billing.Keys;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Billing;

/// <summary>Rate limits of issued keys over HTTP: the headers, the 429s of every endpoint, clients, and two gateway processes on one key.</summary>
public sealed class RateLimitHttpTests
{
    private const string AdminKey = "adm-limits-0123456789abcdef";

    [Fact]
    public async Task Two_Gateway_Processes_HammeringOneKey_AdmitAtMostTheLimitPerMinute_AndTheNextMinuteOpensAgain()
    {
        var azurite = await Azurite.SharedAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Synaxis:Billing:ConnectionString"] = azurite.ConnectionString,
            ["Synaxis:Billing:TablePrefix"] = Azurite.NewTablePrefix(),
            ["synaxis-admin-key"] = AdminKey,
            ["Synaxis:Models:0:Name"] = "gpt-4",
            ["Synaxis:Models:0:Provider"] = "mock",
            ["Synaxis:Mock:FirstTokenDelay"] = "00:00:00",
            ["Synaxis:Mock:TokenDelay"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var started = await Task.WhenAll(GatewayProcess.StartAsync(settings), GatewayProcess.StartAsync(settings));
        await using var first = started[0];
        await using var second = started[1];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var key = await IssueAsync(http, first.BaseUrl, """{"owner":"acme","requests_per_minute":20}""");
        Uri[] gateways = [first.BaseUrl, second.BaseUrl];

        await WaitUnlessMinuteHasAtLeast(TimeSpan.FromSeconds(6));
        var burst = await HammerAsync(http, gateways, key, 200);
        var windows = burst.GroupBy(r => r.WindowEnd).ToList();
        Assert.All(windows, w => Assert.InRange(w.Count(r => r.Admitted), 0, 20));
        Assert.Equal(200, burst.Count(r => r.Admitted || r.Status == 429));
        Assert.All(burst.Where(r => !r.Admitted), r => Assert.InRange(r.RetryAfterSeconds, 1, 60));
        Assert.Single(windows);
        // Fewer than the limit only by what one process may still hold unused: a tenth of the limit each.
        Assert.InRange(burst.Count(r => r.Admitted), 20 - 2 * 2, 20);
        Assert.All(gateways, g => Assert.Contains(burst, r => r.Gateway == g && r.Admitted));

        await Task.Delay(windows[0].Key - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500));
        var next = await HammerAsync(http, gateways, key, 60);
        var nextWindows = next.GroupBy(r => r.WindowEnd).ToList();
        Assert.All(nextWindows, w => Assert.InRange(w.Count(r => r.Admitted), 0, 20));
        Assert.DoesNotContain(nextWindows, w => w.Key == windows[0].Key);
        Assert.InRange(next.Count(r => r.Admitted), 16, 20);
    }

    [Fact]
    public async Task Every_Endpoint_CarriesTheHeaders_AndAnswers429OverTheLimit_StreamedOrNot()
    {
        await using var test = await KeysGateway.StartAsync();
        var key = (await test.IssueAsync("""{"owner":"acme","requests_per_minute":1,"tokens_per_minute":100000}"""))["key"]!.GetValue<string>();
        await WaitUnlessMinuteHasAtLeast(TimeSpan.FromSeconds(5));

        using var admitted = await SendAsync(test.Http, test.Gateway.BaseUrl, key, "v1/chat/completions", Chat(stream: false));
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal("1", Header(admitted, "x-ratelimit-limit-requests"));
        Assert.Equal("0", Header(admitted, "x-ratelimit-remaining-requests"));
        Assert.Equal("100000", Header(admitted, "x-ratelimit-limit-tokens"));
        Assert.NotNull(Header(admitted, "x-ratelimit-reset-tokens"));

        foreach (var (path, body, anthropic) in new[]
                 {
                     ("v1/chat/completions", Chat(stream: true), false),
                     ("v1/chat/completions", Chat(stream: false), false),
                     ("v1/messages", """{"model":"gpt-4","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", true),
                     ("v1/embeddings", """{"model":"gpt-4","input":"hello"}""", false),
                 })
        {
            using var refused = await SendAsync(test.Http, test.Gateway.BaseUrl, key, path, body);
            var text = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, $"{path}: {(int)refused.StatusCode} {text}");
            Assert.InRange(int.Parse(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), 1, 60);
            Assert.Equal("0", Header(refused, "x-ratelimit-remaining-requests"));
            Assert.Equal("1", Header(refused, "x-ratelimit-limit-requests"));
            Assert.StartsWith("application/json", refused.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
            var json = JsonNode.Parse(text)!;
            if (anthropic)
            {
                Assert.Equal("rate_limit_error", json["error"]!["type"]!.GetValue<string>());
            }
            else
            {
                Assert.Equal("rate_limit_exceeded", json["error"]!["code"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task The_Official_OpenAI_Node_Client_Raises_Its_RateLimitError()
    {
        await using var test = await KeysGateway.StartAsync();
        var key = (await test.IssueAsync("""{"owner":"acme","requests_per_minute":1}"""))["key"]!.GetValue<string>();
        await WaitUnlessMinuteHasAtLeast(TimeSpan.FromSeconds(5));
        const string script = """
            import OpenAI, { RateLimitError } from 'openai';
            const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
            const first = await client.chat.completions.create({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] });
            console.log('first', first.choices.length);
            try {
              await client.chat.completions.create({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] });
              console.log('second admitted');
            } catch (error) {
              console.log('second', error instanceof RateLimitError, error.status, error.headers.get('retry-after') !== null,
                error.headers.get('x-ratelimit-remaining-requests'), error.code);
            }
            """;

        var run = await NodeClients.RunModuleAsync(script, TimeSpan.FromSeconds(60), new Dictionary<string, string>
        {
            ["BASE_URL"] = new Uri(test.Gateway.BaseUrl, "v1").ToString(),
            ["API_KEY"] = key,
        });

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("first 1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("second true 429 true 0 rate_limit_exceeded", run.Stdout, StringComparison.Ordinal);
    }

    private static string Chat(bool stream) =>
        $$"""{"model":"gpt-4","stream":{{(stream ? "true" : "false")}},"max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""";

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, Uri gateway, string key, string path, string body, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, path)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http.SendAsync(request, cancellationToken);
    }

    private static async Task<string> IssueAsync(HttpClient http, Uri gateway, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "admin/keys")) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["key"]!.GetValue<string>();
    }

    /// <summary>Sends <paramref name="count"/> chats, 16 at a time, alternately to each gateway, within 20 s.</summary>
    private static async Task<List<Answer>> HammerAsync(HttpClient http, Uri[] gateways, string key, int count)
    {
        var answers = new ConcurrentBag<Answer>();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = bound.Token }, async (i, token) =>
        {
            var gateway = gateways[i % gateways.Length];
            using var response = await SendAsync(http, gateway, key, "v1/chat/completions", Chat(stream: i % 3 == 0), token);
            await response.Content.ReadAsStringAsync(token);
            var reset = RateLimitDuration(Header(response, "x-ratelimit-reset-requests")
                ?? throw new InvalidOperationException($"No x-ratelimit-reset-requests on a {(int)response.StatusCode}"));
            answers.Add(new Answer(gateway, (int)response.StatusCode, response.StatusCode == HttpStatusCode.OK,
                WholeMinute(DateTimeOffset.UtcNow + reset), (int)(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0)));
        });
        return [.. answers];
    }

    // The window's end as one response saw it, to the nearest whole minute (the response took a moment to arrive).
    private static DateTimeOffset WholeMinute(DateTimeOffset instant) =>
        DateTimeOffset.FromUnixTimeSeconds((long)Math.Round(instant.ToUnixTimeSeconds() / 60.0) * 60);

    private static TimeSpan RateLimitDuration(string text)
    {
        if (text.EndsWith("ms", StringComparison.Ordinal))
        {
            return TimeSpan.FromMilliseconds(double.Parse(text[..^2], CultureInfo.InvariantCulture));
        }

        var minutes = text.IndexOf('m', StringComparison.Ordinal);
        var seconds = double.Parse(text[(minutes + 1)..^1], CultureInfo.InvariantCulture);
        return TimeSpan.FromMinutes(minutes > 0 ? int.Parse(text[..minutes], CultureInfo.InvariantCulture) : 0) + TimeSpan.FromSeconds(seconds);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Checks that stay within one minute wait for the next when too little of this one is left.</summary>
    private static async Task WaitUnlessMinuteHasAtLeast(TimeSpan needed)
    {
        var now = DateTimeOffset.UtcNow;
        var left = TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond);
        if (left < needed)
        {
            await Task.Delay(left + TimeSpan.FromMilliseconds(200));
        }
    }

    private sealed record Answer(Uri Gateway, int Status, bool Admitted, DateTimeOffset WindowEnd, int RetryAfterSeconds);
}
