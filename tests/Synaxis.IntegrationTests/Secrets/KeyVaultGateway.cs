using Microsoft.Extensions.DependencyInjection;
using Synaxis.Gateway.Secrets;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Secrets;

/// <summary>The gateway with its secrets in a <see cref="FakeKeyVault"/>, as it runs in Azure with a vault URI set.</summary>
internal static class KeyVaultGateway
{
    public const string ProviderSecret = "openai-api-key";

    public static Task<GatewayUnderTest> StartAsync(FakeKeyVault vault, Action<Dictionary<string, string?>>? configure = null) =>
        GatewayUnderTest.StartAsync(
            settings =>
            {
                settings.Remove("OPENAI_API_KEY");
                settings["Synaxis:Models:0:ApiKeySecret"] = ProviderSecret;
                settings["Synaxis:KeyVault:VaultUri"] = FakeKeyVault.VaultUri.ToString();
                configure?.Invoke(settings);
            },
            host => host.Services.AddSingleton<ISecretClientFactory>(vault));

    /// <summary>The bearer key the upstream received with the request at <paramref name="index"/>.</summary>
    public static string UpstreamKey(this FakeUpstream upstream, int index) =>
        upstream.Requests.ElementAt(index).Headers["Authorization"]["Bearer ".Length..];
}
