using System.Net;
using System.Text.Json.Nodes;
using Synaxis.IntegrationTests.Secrets;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Health;

/// <summary>
/// <c>GET /health/ready</c> against real dependencies: a private Azurite that is stopped mid-test, and a Key Vault
/// (Moq'd <c>SecretClient</c>) that cannot be reached. <c>/health</c> stays 200 throughout: liveness needs nothing.
/// </summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readiness_WithBillingStorageUpThenDown_Answers200Then503_NamingTheCheck()
    {
        var azurite = await Azurite.StartAsync();
        await using var test = await GatewayUnderTest.StartAsync(s =>
        {
            s["Synaxis:Billing:ConnectionString"] = azurite.ConnectionString;
            s["Synaxis:Billing:TablePrefix"] = Azurite.NewTablePrefix();
        });

        var (upStatus, up) = await ReadyAsync(test.Client);
        await azurite.DisposeAsync();
        var (downStatus, down) = await UntilAsync(test.Client, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, upStatus);
        Assert.Equal("ready", up["status"]!.GetValue<string>());
        Assert.Equal("healthy", up["checks"]!["billing_storage"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, downStatus);
        Assert.Equal("not_ready", down["status"]!.GetValue<string>());
        Assert.Equal("unhealthy", down["checks"]!["billing_storage"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", down["checks"]!["key_vault"]!["status"]!.GetValue<string>());
        Assert.DoesNotContain(azurite.ConnectionString.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal))[11..], down.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await test.Client.GetAsync("health")).StatusCode);
    }

    [Fact]
    public async Task Readiness_WithKeyVaultUnreachableFromTheStart_Answers503_ThenReadyOnceTheSecretsAreRead()
    {
        var vault = new FakeKeyVault().Set(KeyVaultGateway.ProviderSecret, "sk-upstream-from-vault");
        vault.Unreachable = true;
        await using var test = await KeyVaultGateway.StartAsync(vault, s => s["Synaxis:KeyVault:RefreshInterval"] = "00:00:01");

        var (downStatus, down) = await ReadyAsync(test.Client);
        vault.Unreachable = false;
        var (upStatus, up) = await UntilAsync(test.Client, HttpStatusCode.OK, TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, downStatus);
        Assert.Equal("unhealthy", down["checks"]!["key_vault"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, upStatus);
        Assert.Equal("healthy", up["checks"]!["key_vault"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await test.Client.GetAsync("health")).StatusCode);
    }

    [Fact]
    public async Task Readiness_WhenAKeyVaultRefreshFails_StaysReadyAndSaysDegraded()
    {
        var vault = new FakeKeyVault().Set(KeyVaultGateway.ProviderSecret, "sk-upstream-from-vault");
        await using var test = await KeyVaultGateway.StartAsync(vault, s => s["Synaxis:KeyVault:RefreshInterval"] = "00:00:01");
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(test.Client)).Status);

        vault.Unreachable = true;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        JsonNode answer;
        HttpStatusCode status;
        do
        {
            await Task.Delay(100);
            (status, answer) = await ReadyAsync(test.Client);
        }
        while (answer["checks"]!["key_vault"]!["status"]!.GetValue<string>() != "degraded" && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", answer["checks"]!["key_vault"]!["status"]!.GetValue<string>());
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("health/ready");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> UntilAsync(HttpClient client, HttpStatusCode wanted, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var answer = await ReadyAsync(client);
            if (answer.Status == wanted || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(200);
        }
    }
}
