using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Routing;

/// <summary>A 401 on a key from the secret store: the secret is read again once and the call repeated, never more.</summary>
public sealed class KeyRotationTests
{
    private const string OldKey = "sk-upstream-old-key";
    private const string NewKey = "sk-upstream-new-key";

    /// <summary>Accepts only <see cref="NewKey"/>; seeing the old one, it rotates the key at the source (the gateway's configuration) and answers 401.</summary>
    private static Func<HttpContext, System.Text.Json.Nodes.JsonObject, Task> AcceptsOnlyTheNewKey(RoutedGateway test, int index) =>
        (context, request) =>
        {
            if (context.Request.Headers.Authorization == "Bearer " + NewKey)
            {
                return request["stream"]?.GetValue<bool>() == true
                    ? Respond.Synthetic(5, TimeSpan.Zero, TimeSpan.Zero, RoutedGateway.Label(index))(context, request)
                    : Respond.Json(Respond.Completion)(context, request);
            }

            test.Gateway.Services.GetRequiredService<IConfiguration>()["OPENAI_API_KEY"] = NewKey;
            return Respond.Json("openai/error-401-invalid-api-key.json")(context, request);
        };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RotatedKey_IsReadAgainAfterA401_AndTheCallSucceeds(bool stream)
    {
        await using var test = await RoutedGateway.StartAsync(1, s => s["OPENAI_API_KEY"] = OldKey);
        test.Upstreams[0].Behavior = AcceptsOnlyTheNewKey(test, 0);

        using var response = await test.PostChatAsync(stream);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(["Bearer " + OldKey, "Bearer " + NewKey], test.Upstreams[0].Requests.Select(r => r.Headers["Authorization"]));
        Assert.Contains(test.Gateway.Logs.Lines, l => l.Contains("secret OPENAI_API_KEY; the secret has a new value", StringComparison.Ordinal));
        Assert.DoesNotContain(test.Gateway.Logs.Lines, l => l.Contains(NewKey, StringComparison.Ordinal) || l.Contains(OldKey, StringComparison.Ordinal));
        Assert.DoesNotContain("sk-upstream", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRefused_WithNoNewerValueInTheStore_IsNotCalledAgain()
    {
        await using var test = await RoutedGateway.StartAsync(1);
        test.Upstreams[0].Behavior = Respond.Json("openai/error-401-invalid-api-key.json");

        using var response = await test.PostChatAsync(stream: true);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Contains("upstream_authentication_failed", body, StringComparison.Ordinal);
        Assert.Single(test.Upstreams[0].Requests); // the secret was read again, found unchanged, and the same key is not sent twice
        Assert.Contains(test.Gateway.Logs.Lines, l => l.Contains("holds no newer value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotatedKeyRefusedToo_IsNotRetriedAgain()
    {
        await using var test = await RoutedGateway.StartAsync(1, s => s["OPENAI_API_KEY"] = OldKey);
        test.Upstreams[0].Behavior = (context, request) =>
        {
            test.Gateway.Services.GetRequiredService<IConfiguration>()["OPENAI_API_KEY"] = NewKey;
            return Respond.Json("openai/error-401-invalid-api-key.json")(context, request);
        };

        using var response = await test.PostChatAsync(stream: false);

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Equal(["Bearer " + OldKey, "Bearer " + NewKey], test.Upstreams[0].Requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task KeyRefusedForGood_GoesToAnotherDeploymentWithItsOwnKey()
    {
        await using var test = await RoutedGateway.StartAsync(2, s =>
        {
            s[RoutedGateway.Key(1, "Priority")] = "2";
            s[RoutedGateway.Key(1, "ApiKeySecret")] = "OTHER_API_KEY";
            s["OTHER_API_KEY"] = "sk-upstream-other";
        });
        test.Upstreams[0].Behavior = Respond.Json("openai/error-401-invalid-api-key.json");

        using var response = await test.PostChatAsync(stream: true);

        StreamAssert.IsCompleteAnswerOf(await SseReader.ReadAllAsync(response), RoutedGateway.Label(1));
        Assert.Single(test.Upstreams[0].Requests);
        Assert.Equal("Bearer sk-upstream-other", test.Upstreams[1].Requests.Single().Headers["Authorization"]);
    }

    [Fact]
    public async Task KeylessDeployment_Answering401_IsNotCalledAgain()
    {
        await using var test = await RoutedGateway.StartAsync(1, s => s["Synaxis:Models:0:ApiKeySecret"] = "");
        test.Upstreams[0].Behavior = Respond.Json("openai/error-401-invalid-api-key.json");

        using var response = await test.PostChatAsync(stream: false);

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Single(test.Upstreams[0].Requests);
        Assert.False(test.Upstreams[0].Requests.Single().Headers.ContainsKey("Authorization"));
    }
}
