using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Synaxis.Gateway.Secrets;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Errors;

/// <summary>Every failure answers with OpenAI's error envelope, the right status and nothing secret.</summary>
public sealed class ErrorResponseTests
{
    private static async Task<(HttpStatusCode Status, JsonObject Error, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(body)!["error"]!.AsObject();
        Assert.NotNull(error["message"]);
        Assert.NotNull(error["type"]);
        Assert.True(error.ContainsKey("param") && error.ContainsKey("code"), "param and code are always present");
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal); // no stack trace
        return (response.StatusCode, error, response);
    }

    private static HttpRequestMessage Chat(string body, string? key = GatewayUnderTest.ClientKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = GatewayUnderTest.Json(body) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }

    [Fact]
    public async Task Auth_MissingKey_Gives401WithBearerChallenge()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Client.DefaultRequestHeaders.Authorization = null;

        var (status, _, response) = await SendAsync(test.Client, Chat(GatewayUnderTest.ChatBody(false), key: null));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(test.Upstream.Requests);
    }

    [Fact]
    public async Task Auth_WrongKey_Gives401WithoutEchoingTheKey()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Client.DefaultRequestHeaders.Authorization = null;

        var (status, error, _) = await SendAsync(test.Client, Chat(GatewayUnderTest.ChatBody(false), key: "sk-wrong-key-that-is-somebodys-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_api_key", error["code"]!.GetValue<string>());
        Assert.DoesNotContain("somebodys", error.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(test.Gateway.Logs.Lines, l => l.Contains("somebodys", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"model\":\"gpt-4\",", null, "invalid_json")]
    [InlineData("not json at all", null, "invalid_json")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model", "missing_required_parameter")]
    [InlineData("{\"model\":\"gpt-4\"}", "messages", "missing_required_parameter")]
    [InlineData("{\"model\":\"gpt-4\",\"messages\":[]}", "messages", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\"}]}", "messages[0].content", "missing_required_parameter")]
    [InlineData("{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}", "temperature", "invalid_type")]
    [InlineData("{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":9}", "temperature", "invalid_value")]
    [InlineData("{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream_options\":{\"include_usage\":true}}", "stream_options", "invalid_value")]
    public async Task Request_Invalid_Gives400NamingTheField(string body, string? param, string code)
    {
        await using var test = await GatewayUnderTest.StartAsync();

        var (status, error, _) = await SendAsync(test.Client, Chat(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Empty(test.Upstream.Requests);
    }

    [Fact]
    public async Task Request_UnknownModel_Gives404()
    {
        await using var test = await GatewayUnderTest.StartAsync();

        var (status, error, _) = await SendAsync(test.Client, Chat("""{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("model_not_found", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_BodyOverLimit_Gives413WithoutReadingItAll()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:MaxRequestBodyBytes"] = "1024");
        var big = GatewayUnderTest.ChatBody(false).Replace("Tell me", new string('x', 4096), StringComparison.Ordinal);

        var (status, error, _) = await SendAsync(test.Client, Chat(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("request_too_large", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_ChunkedBodyOverLimit_Gives413()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:MaxRequestBodyBytes"] = "1024");
        var request = Chat("");
        request.Content = new StreamContent(new MemoryStream(new byte[64 * 1024])); // no Content-Length known up front
        request.Headers.TransferEncodingChunked = true;

        var (status, _, _) = await SendAsync(test.Client, request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Theory]
    [InlineData(500, 502, "upstream_error")]
    [InlineData(503, 502, "upstream_error")]
    [InlineData(401, 502, "upstream_authentication_failed")]
    public async Task Upstream_Failure_GivesGatewayError(int upstreamStatus, int expected, string code)
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Json("openai/error-401-invalid-api-key.json", upstreamStatus);

        var (status, error, _) = await SendAsync(test.Client, Chat(GatewayUnderTest.ChatBody(false)));

        Assert.Equal(expected, (int)status);
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.DoesNotContain("invalid-*****2345", error.ToJsonString(), StringComparison.Ordinal); // the upstream's view of our key stays inside
    }

    [Fact]
    public async Task Upstream_RejectsRequest_Gives400WithUpstreamExplanation()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Json("openai/error-400-unsupported-parameter.json");

        var (status, error, _) = await SendAsync(test.Client, Chat(GatewayUnderTest.ChatBody(false)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("stop", error["param"]!.GetValue<string>());
        Assert.Equal("unsupported_parameter", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upstream_RateLimitedWithoutHeaders_Gives429WithRetryAfterFromItsMessage()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Json("azure/error-429-rate-limit.json", 429);

        var (status, _, response) = await SendAsync(test.Client, Chat(GatewayUnderTest.ChatBody(false)));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(TimeSpan.FromSeconds(22), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Upstream_Unreachable_Gives502()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:Models:0:BaseUrl"] = "http://127.0.0.1:1/v1");

        var (status, error, _) = await SendAsync(test.Client, Chat(GatewayUnderTest.ChatBody(true)));

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("upstream_unreachable", error["code"]!.GetValue<string>());
        Assert.DoesNotContain("127.0.0.1", error.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_NonStreamedStall_Gives504()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["Synaxis:FirstByteTimeout"] = "00:00:00.500");
        test.Upstream.Behavior = Respond.Stall();

        var (status, error, _) = await SendAsync(test.Client, Chat(GatewayUnderTest.ChatBody(false)));

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal("upstream_timeout", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upstream_MissingSecret_Gives500NamingTheSecret()
    {
        await using var test = await GatewayUnderTest.StartAsync(s => s["OPENAI_API_KEY"] = null);

        var (status, error, _) = await SendAsync(test.Client, Chat(GatewayUnderTest.ChatBody(false)));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("OPENAI_API_KEY", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(test.Upstream.Requests);
    }

    [Theory]
    [InlineData("GET", "v1/chat/completions", 405)]
    [InlineData("POST", "v1/nothing-here", 404)]
    public async Task Route_UnknownOrWrongMethod_IsOpenAIShaped(string method, string path, int expected)
    {
        await using var test = await GatewayUnderTest.StartAsync();

        var (status, _, _) = await SendAsync(test.Client, new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(expected, (int)status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gateway_UnexpectedFailure_Gives500WithoutDetails(bool stream)
    {
        await using var test = await GatewayUnderTest.StartAsync(configureHost: host =>
            host.Services.AddSingleton<ISecretStore>(new ThrowingSecretStore()));

        var (status, error, _) = await SendAsync(test.Client, Chat(GatewayUnderTest.ChatBody(stream)));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("internal_error", error["code"]!.GetValue<string>());
        Assert.DoesNotContain("boom", error.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(test.Gateway.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("failed unexpectedly", StringComparison.Ordinal));
    }

    private sealed class ThrowingSecretStore : ISecretStore
    {
        public ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom: an unexpected bug");

        public ValueTask<string?> RefreshAsync(string name, CancellationToken cancellationToken) => GetSecretAsync(name, cancellationToken);
    }

    [Fact]
    public async Task Logs_NeverContainTheUpstreamKey()
    {
        await using var test = await GatewayUnderTest.StartAsync();
        test.Upstream.Behavior = Respond.Json("openai/error-401-invalid-api-key.json", 401);

        await SendAsync(test.Client, Chat(GatewayUnderTest.ChatBody(false)));

        Assert.NotEmpty(test.Gateway.Logs.Lines);
        Assert.DoesNotContain(test.Gateway.Logs.Lines, l => l.Contains("sk-upstream-test-key", StringComparison.Ordinal));
        Assert.DoesNotContain(test.Gateway.Logs.Lines, l => l.Contains(GatewayUnderTest.ClientKey, StringComparison.Ordinal));
    }
}
