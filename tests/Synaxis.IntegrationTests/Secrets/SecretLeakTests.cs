using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Synaxis.Gateway.Secrets;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Secrets;

/// <summary>
/// Every secret the gateway holds (provider keys, the admin key, client keys) is configured with a recognisable
/// value; requests are driven through every error path the gateway has, with the vault unreachable, back, and
/// unreachable again; then every log line, response status, header and body, span and metric tag is searched for those values.
/// </summary>
public sealed class SecretLeakTests
{
    // Every secret value, and every key a client presents, carries this marker: a partial leak (a masked
    // suffix, a prefix) is caught as surely as a whole one.
    private const string Marker = "LEAKCHECK";
    private const string ProviderKey = "sk-" + Marker + "-provider-9f2c41";
    private const string RotatedProviderKey = "sk-" + Marker + "-provider-rotated-77aa03";
    private const string OtherProviderKey = "sk-" + Marker + "-other-provider-5e19";
    private const string AdminKeyValue = "adm-" + Marker + "-admin-31d0b8";
    private const string ClientKeyInVault = "ck-" + Marker + "-client-from-vault-2";
    private const string StaticClientKey = "ck-" + Marker + "-client-static-1";
    private const string WrongClientKey = "ck-" + Marker + "-wrong-key-0";

    private readonly List<string> _seen = [];

    [Fact]
    public async Task NoSecretValue_AppearsInAnyLogLineOrResponse_OnAnyErrorPath()
    {
        using var telemetry = new TelemetryRecorder();
        var vault = new FakeKeyVault()
            .Set(KeyVaultGateway.ProviderSecret, ProviderKey)
            .Set("other-api-key", OtherProviderKey)
            .Set(SecretNames.DefaultAdminKey, AdminKeyValue)
            .Set("synaxis-client-keys", "ck-" + Marker + "-client-from-vault-1, " + ClientKeyInVault);
        vault.Unreachable = true; // phase 1: the vault cannot be reached at start
        await using var test = await KeyVaultGateway.StartAsync(vault, s =>
        {
            s["Synaxis:ApiKeys:0"] = StaticClientKey;
            s["Synaxis:ApiKeysSecret"] = "synaxis-client-keys";
            s["Synaxis:KeyVault:RefreshInterval"] = "00:00:01";
            s["Synaxis:MaxRequestBodyBytes"] = "4096";
            AddModel(s, 1, "gpt-missing", "missing-api-key");
            AddModel(s, 2, "gpt-slow", "other-api-key");
            s["Synaxis:Models:2:FirstByteTimeout"] = "00:00:00.300";
            s["Synaxis:Models:2:IdleTimeout"] = "00:00:00.300";
            AddModel(s, 3, "gpt-unreachable", "other-api-key");
            s["Synaxis:Models:3:BaseUrl"] = "http://127.0.0.1:1/v1";
            // Every error path below fails the same deployment on purpose; an open circuit would hide the later ones.
            s["Synaxis:Routing:CircuitBreaker:MinimumThroughput"] = "10000";
        });
        var client = test.Client;
        var admin = test.Gateway.Services.GetRequiredService<AdminKey>();

        // Phase 1: vault unreachable before any secret was read.
        await ChatAsync(test, "gpt-4", stream: false, StaticClientKey);
        await ChatAsync(test, "gpt-4", stream: true, StaticClientKey);
        await ChatAsync(test, "gpt-4", stream: false, ClientKeyInVault); // the client keys in the vault are unknown yet
        Assert.Equal(AdminKeyCheck.Unavailable, await admin.VerifyAsync(AdminKeyValue, CancellationToken.None));

        // Phase 2: the vault is back; every error path.
        vault.Unreachable = false;
        test.Upstream.Behavior = EchoingOnlyWithKey(ProviderKey);
        await ChatAsync(test, "gpt-4", stream: false, StaticClientKey);                        // 200, reads the secret on the request path
        await UntilAcceptedAsync(client, ClientKeyInVault);                                      // the client keys secret lands in the cache
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(test, "gpt-4", stream: true, ClientKeyInVault));
        Assert.Equal(AdminKeyCheck.Valid, await admin.VerifyAsync(AdminKeyValue, CancellationToken.None));
        Assert.Equal(AdminKeyCheck.Invalid, await admin.VerifyAsync(AdminKeyValue + "x", CancellationToken.None));

        // A rotation: the upstream refuses the old key, the vault has the new one; both ways of calling.
        vault.Set(KeyVaultGateway.ProviderSecret, RotatedProviderKey);
        test.Upstream.Behavior = EchoingOnlyWithKey(RotatedProviderKey);
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(test, "gpt-4", stream: true, ClientKeyInVault));
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(test, "gpt-4", stream: false, ClientKeyInVault));

        await SendAsync(client, Post("{\"model\":\"gpt-4\",", ClientKeyInVault));               // 400 invalid JSON
        await SendAsync(client, Post("{\"model\":\"gpt-4\",\"messages\":[]}", ClientKeyInVault)); // 400 invalid value
        await SendAsync(client, Post(GatewayUnderTest.ChatBody(false), key: null));              // 401 no key
        await SendAsync(client, Post(GatewayUnderTest.ChatBody(false), WrongClientKey));         // 401 wrong key
        await SendAsync(client, Post(GatewayUnderTest.ChatBody(false), AdminKeyValue));          // 401 the admin key is no client key
        var basic = Post(GatewayUnderTest.ChatBody(false), key: null);
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + ClientKeyInVault)));
        await SendAsync(client, basic);                                                          // 401 wrong scheme
        await ChatAsync(test, "gpt-9", stream: false, ClientKeyInVault);                         // 404 model
        await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "v1/nothing-here"));      // 404 route
        await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "v1/chat/completions"));  // 405
        await SendAsync(client, Post(GatewayUnderTest.ChatBody(false).Replace("Tell me", new string('x', 8192), StringComparison.Ordinal), ClientKeyInVault)); // 413
        await ChatAsync(test, "gpt-missing", stream: false, ClientKeyInVault);                   // 500 missing secret
        await ChatAsync(test, "gpt-missing", stream: true, ClientKeyInVault);

        foreach (var stream in new[] { false, true })
        {
            test.Upstream.Behavior = Respond.Json("openai/error-400-unsupported-parameter.json");
            await ChatAsync(test, "gpt-4", stream, ClientKeyInVault);                            // 400 from upstream
            test.Upstream.Behavior = Respond.Json("openai/error-429-rate-limit-exceeded.json", 429, ("retry-after-ms", "1500"));
            await ChatAsync(test, "gpt-4", stream, ClientKeyInVault);                            // 429
            test.Upstream.Behavior = Respond.Json("openai/error-401-invalid-api-key.json", 500);
            await ChatAsync(test, "gpt-4", stream, ClientKeyInVault);                            // 502 upstream 5xx
            test.Upstream.Behavior = EchoingOnlyWithKey("sk-" + Marker + "-a-key-nobody-has");
            await ChatAsync(test, "gpt-4", stream, ClientKeyInVault);                            // 502 key refused, refreshed, unchanged
            await ChatAsync(test, "gpt-unreachable", stream, ClientKeyInVault);                  // 502 unreachable
            test.Upstream.Behavior = Respond.Stall();
            await ChatAsync(test, "gpt-slow", stream, ClientKeyInVault);                         // 504
        }

        test.Upstream.Behavior = (context, _) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("this is not a chat completion", context.RequestAborted);
        };
        await ChatAsync(test, "gpt-4", stream: false, ClientKeyInVault);                         // 502 protocol error
        test.Upstream.Behavior = Respond.RawStream(
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
            "data: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}\n\n");
        await ChatAsync(test, "gpt-4", stream: true, ClientKeyInVault);                          // stream error event
        test.Upstream.Behavior = Respond.Replay("openai/chat-stream-text.sse", cutAfterEvents: 3, abortAtCut: true);
        await ChatAsync(test, "gpt-4", stream: true, ClientKeyInVault);                          // stream reset
        test.Upstream.Behavior = Respond.StallAfter("openai/chat-stream-text.sse", events: 2);
        await ChatAsync(test, "gpt-slow", stream: true, ClientKeyInVault);                       // stream idle timeout
        test.Upstream.Behavior = Respond.RawStream("data: {not json\n\n");
        await ChatAsync(test, "gpt-4", stream: true, ClientKeyInVault);                          // malformed stream

        // Phase 3: the vault goes away again; the cached values keep serving, the refreshes fail and are logged.
        vault.Unreachable = true;
        await FakeUpstream.WaitUntilAsync(() => test.Gateway.Logs.Lines.Any(l => l.Contains("the last value read keeps serving", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "a background refresh fails");
        test.Upstream.Behavior = EchoingOnlyWithKey(RotatedProviderKey);
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(test, "gpt-4", stream: true, ClientKeyInVault));
        Assert.Equal(AdminKeyCheck.Valid, await admin.VerifyAsync(AdminKeyValue, CancellationToken.None));
        test.Upstream.Behavior = EchoingOnlyWithKey("sk-" + Marker + "-a-key-nobody-has");
        await ChatAsync(test, "gpt-4", stream: false, ClientKeyInVault);                         // 502 during the outage

        // The secrets were really in use, so their absence below means something.
        Assert.Contains(test.Upstream.Requests, r => r.Headers["Authorization"] == "Bearer " + ProviderKey);
        Assert.Contains(test.Upstream.Requests, r => r.Headers["Authorization"] == "Bearer " + RotatedProviderKey);
        Assert.Contains(test.Gateway.Logs.Lines, l => l.Contains("could not be read from Key Vault", StringComparison.Ordinal));
        Assert.Superset(new HashSet<int> { 200, 400, 401, 404, 405, 413, 429, 500, 502, 504 }, _seen.Select(r => int.Parse(r[..3], CultureInfo.InvariantCulture)).ToHashSet());
        Assert.Contains(_seen, r => r.StartsWith("200", StringComparison.Ordinal) && r.Contains("data: {\"error\"", StringComparison.Ordinal)); // errors inside streams
        Assert.Contains(_seen, r => r.Contains("secret_store_unavailable", StringComparison.Ordinal));
        Assert.Contains(_seen, r => r.Contains("upstream_not_configured", StringComparison.Ordinal));

        // Spans and metrics too: every tag of every span and measurement the gateway emitted meanwhile.
        var tags = telemetry.Spans.SelectMany(span => span.TagObjects.Select(t => $"span {span.DisplayName} {t.Key}={t.Value}").Append($"span {span.DisplayName} {span.StatusDescription}"))
            .Concat(telemetry.Measurements.SelectMany(m => m.Tags.Select(t => $"metric {m.Instrument} {t.Key}={t.Value}")))
            .ToList();
        Assert.NotEmpty(telemetry.Spans);
        var leaks = _seen.Concat(test.Gateway.Logs.Lines).Concat(tags).Where(s => s.Contains(Marker, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaks.Count == 0, "Secret values leaked:\n" + string.Join("\n----\n", leaks));
    }

    private static void AddModel(Dictionary<string, string?> settings, int index, string name, string secret)
    {
        settings[$"Synaxis:Models:{index}:Name"] = name;
        settings[$"Synaxis:Models:{index}:Provider"] = "openai";
        settings[$"Synaxis:Models:{index}:BaseUrl"] = settings["Synaxis:Models:0:BaseUrl"];
        settings[$"Synaxis:Models:{index}:ApiKeySecret"] = secret;
    }

    /// <summary>An upstream that accepts one key and, worse than real providers, echoes a refused key whole in its 401.</summary>
    private static Func<HttpContext, System.Text.Json.Nodes.JsonObject, Task> EchoingOnlyWithKey(string key) => (context, request) =>
    {
        var presented = context.Request.Headers.Authorization.ToString();
        if (presented == "Bearer " + key)
        {
            return Respond.Default(context, request);
        }

        context.Response.StatusCode = 401;
        context.Response.ContentType = "application/json";
        var message = System.Text.Json.JsonSerializer.Serialize($"Incorrect API key provided: {presented}.");
        return context.Response.WriteAsync($"{{\"error\":{{\"message\":{message},\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}}}", context.RequestAborted);
    };

    private async Task UntilAcceptedAsync(HttpClient client, string key)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            if (await SendAsync(client, request) == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the key is accepted once its secret is read");
            await Task.Delay(50);
        }
    }

    private static HttpRequestMessage Post(string body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = GatewayUnderTest.Json(body) };
        request.Headers.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private Task<HttpStatusCode> ChatAsync(GatewayUnderTest test, string model, bool stream, string key) =>
        SendAsync(test.Client, Post(GatewayUnderTest.ChatBody(stream).Replace("\"gpt-4\"", $"\"{model}\"", StringComparison.Ordinal), key));

    private async Task<HttpStatusCode> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            if (request.Headers.Authorization is null && request.Content is null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StaticClientKey);
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException exception)
            {
                body = "(cut: " + exception.Message + ")"; // a non-streamed answer cut mid-body; what arrived is not readable
            }

            var headers = response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}");
            _seen.Add($"{(int)response.StatusCode} {response.ReasonPhrase}\n{string.Join("\n", headers)}\n\n{body}");
            return response.StatusCode;
        }
    }
}
