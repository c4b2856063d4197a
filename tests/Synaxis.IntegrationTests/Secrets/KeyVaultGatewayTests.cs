using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Secrets;

/// <summary>End to end with secrets in Key Vault: rotation on 401, a missing secret, an unreachable vault, client keys from the vault.</summary>
public sealed class KeyVaultGatewayTests
{
    private const string Secret = KeyVaultGateway.ProviderSecret;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RotatedKey_Upstream401_RereadsTheSecretAndRetriesOnceWithTheNewKey(bool stream)
    {
        var vault = new FakeKeyVault().Set(Secret, "sk-old");
        await using var test = await KeyVaultGateway.StartAsync(vault);
        vault.Set(Secret, "sk-new"); // rotated in the vault; the provider already refuses the old key
        test.Upstream.Behavior = Respond.OnlyWithKey("sk-new");

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(stream, body.EndsWith("data: [DONE]\n\n", StringComparison.Ordinal));
        Assert.DoesNotContain("error", body, StringComparison.Ordinal);
        Assert.Equal(["sk-old", "sk-new"], [test.Upstream.UpstreamKey(0), test.Upstream.UpstreamKey(1)]);
        Assert.Equal(2, vault.Reads(Secret));

        // The next call goes out with the new key at once and needs no vault call.
        using var next = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream));
        await next.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(3, test.Upstream.Requests.Count);
        Assert.Equal("sk-new", test.Upstream.UpstreamKey(2));
        Assert.Equal(2, vault.Reads(Secret));
    }

    [Fact]
    public async Task KeyRevokedButNotYetReplacedInTheVault_Gives502AfterOneUpstreamCall()
    {
        var vault = new FakeKeyVault().Set(Secret, "sk-old");
        await using var test = await KeyVaultGateway.StartAsync(vault);
        test.Upstream.Behavior = Respond.OnlyWithKey("sk-new");

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: false));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_authentication_failed", error["code"]!.GetValue<string>());
        Assert.Single(test.Upstream.Requests);
        Assert.Equal(2, vault.Reads(Secret));
    }

    [Fact]
    public async Task HundredParallelRequestsRefusedDuringARotation_ReadTheVaultOnce()
    {
        var vault = new FakeKeyVault().Set(Secret, "sk-old");
        await using var test = await KeyVaultGateway.StartAsync(vault);
        vault.Set(Secret, "sk-new");
        vault.Hold();
        test.Upstream.Behavior = Respond.OnlyWithKey("sk-new");

        var calls = Enumerable.Range(0, 100).Select(async _ =>
        {
            using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: false));
            await response.Content.ReadAsStringAsync();
            return response.StatusCode;
        }).ToArray();
        await FakeUpstream.WaitUntilAsync(() => test.Upstream.Requests.Count == 100 && vault.Reads(Secret) == 2, TimeSpan.FromSeconds(30),
            "every call was refused and the refresh is waiting for the vault");
        vault.Release();

        Assert.All(await Task.WhenAll(calls), status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(2, vault.Reads(Secret)); // one at start, one for the hundred refusals
        Assert.Equal(200, test.Upstream.Requests.Count);
    }

    [Fact]
    public async Task SecretMissingFromTheVault_IsNamedAtStartAndInTheAnswer()
    {
        var vault = new FakeKeyVault();
        await using var test = await KeyVaultGateway.StartAsync(vault);

        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Contains(test.Gateway.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal)
            && l.Contains("Secret openai-api-key, needed by model 'gpt-4', does not exist", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("upstream_not_configured", error["code"]!.GetValue<string>());
        Assert.Contains("'openai-api-key'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(test.Upstream.Requests);
        Assert.Equal(1, vault.Reads(Secret)); // remembered as missing: no vault call per request
    }

    [Fact]
    public async Task VaultUnreachableAfterStart_TheCachedKeyKeepsServing()
    {
        var vault = new FakeKeyVault().Set(Secret, "sk-old");
        await using var test = await KeyVaultGateway.StartAsync(vault, s => s["Synaxis:KeyVault:RefreshInterval"] = "00:00:01");
        vault.Unreachable = true;

        await FakeUpstream.WaitUntilAsync(() => test.Gateway.Logs.Lines.Any(l => l.Contains("the last value read keeps serving", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "a background refresh fails");
        using var response = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: true));
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sk-old", test.Upstream.UpstreamKey(0));
    }

    [Fact]
    public async Task VaultUnreachableAtStart_TheCallSaysWhichSecretCouldNotBeRead_UntilTheVaultIsBack()
    {
        var vault = new FakeKeyVault().Set(Secret, "sk-old");
        vault.Unreachable = true;
        await using var test = await KeyVaultGateway.StartAsync(vault);

        using var refused = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: false));
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        vault.Unreachable = false;
        using var served = await test.PostChatAsync(GatewayUnderTest.ChatBody(stream: false));

        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal("secret_store_unavailable", error["code"]!.GetValue<string>());
        Assert.Contains("'openai-api-key'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task ClientKeysFromTheVault_AreTheOnesAccepted_AndARotationTakesEffectWithoutRestart()
    {
        var vault = new FakeKeyVault().Set(Secret, "sk-old").Set("synaxis-client-keys", "ck-one,ck-two");
        await using var test = await KeyVaultGateway.StartAsync(vault, s =>
        {
            s.Remove("Synaxis:ApiKeys:0");
            s["Synaxis:ApiKeysSecret"] = "synaxis-client-keys";
            s["Synaxis:KeyVault:RefreshInterval"] = "00:00:01";
        });

        Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(test, "ck-two"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithKeyAsync(test, GatewayUnderTest.ClientKey));

        vault.Set("synaxis-client-keys", "ck-three");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await StatusWithKeyAsync(test, "ck-three") != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the rotated client key is accepted within a few refresh intervals");
            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithKeyAsync(test, "ck-one"));
    }

    private static async Task<HttpStatusCode> StatusWithKeyAsync(GatewayUnderTest test, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await test.Client.SendAsync(request);
        return response.StatusCode;
    }
}
