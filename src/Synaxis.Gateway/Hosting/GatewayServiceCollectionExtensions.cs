using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Gateway.Billing.Metering;
using Synaxis.Gateway.Billing.RateLimits;
using Synaxis.Gateway.Billing.Reconciliation;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Billing.Reports;
using Synaxis.Gateway.Health;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Http.Admin;
using Synaxis.Gateway.Http.Messages;
using Synaxis.Gateway.Http.Reports;
using Synaxis.Gateway.Http.Playground;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.Anthropic;
using Synaxis.Gateway.Providers.AzureOpenAI;
using Synaxis.Gateway.Providers.Gemini;
using Synaxis.Gateway.Providers.Mock;
using Synaxis.Gateway.Providers.OpenAICompatible;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Hosting;

/// <summary>Registers the gateway with a host: the same services whether Kestrel or the Functions worker serves them.</summary>
public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddSynaxisGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, SecretOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHostEnvironmentInfo, ProcessEnvironmentInfo>();
        services.TryAddSingleton<ISecretClientFactory, KeyVaultClientFactory>();
        // Key Vault when a vault is configured (Azure), else configuration and environment variables (local runs, tests).
        services.TryAddSingleton<ISecretStore>(static provider =>
            provider.GetRequiredService<IOptions<GatewayOptions>>().Value.KeyVault.IsConfigured
                ? ActivatorUtilities.CreateInstance<KeyVaultSecretStore>(provider)
                : ActivatorUtilities.CreateInstance<ConfigurationSecretStore>(provider));
        services.TryAddSingleton<AdminKey>();
        services.TryAddSingleton<IApiKeyValidator, ConfiguredApiKeys>();
        services.TryAddSingleton<IAzureCredentialFactory, AzureCredentialFactory>();
        // Pay-per-call state in Table Storage; without Synaxis:Billing storage the gateway serves configured keys only, unmetered.
        services.TryAddSingleton<BillingTables>();
        services.AddHostedService<BillingTablesSetup>();
        services.TryAddSingleton<IRateLimiter, TableRateLimiter>();
        services.TryAddSingleton<CallMeter>();
        // Issued keys (resolved only when billing storage is configured).
        services.TryAddSingleton<IKeyStore, TableKeyStore>();
        services.TryAddSingleton<KeyDirectory>();
        services.TryAddSingleton<IssuedKeysPresence>();
        services.TryAddSingleton<KeyCredit>();
        services.TryAddSingleton<KeyAdministration>();
        services.TryAddSingleton<UsageReader>();
        services.TryAddSingleton<InstanceLeases>();
        services.TryAddSingleton<IBudget, LeasedBudget>();
        services.TryAddSingleton<UsageWriter>();
        services.TryAddSingleton<IUsageLedger, TableUsageLedger>();
        services.TryAddSingleton<Reconciler>();
        services.AddHostedService<BillingWorkers>();

        services.AddHttpClient(OpenAICompatibleProvider.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                // Each deployment's ConnectTimeout, applied per host.
                ConnectCallback = provider.GetRequiredService<UpstreamConnector>().ConnectAsync,
                // No Accept-Encoding: a compressed event stream can sit in the upstream's (or a proxy's)
                // compressor until a block fills, which would hold tokens back.
                AutomaticDecompression = DecompressionMethods.None,
                AllowAutoRedirect = false,
                // Never carry one caller's cookies into another caller's request.
                UseCookies = false,
                EnableMultipleHttp2Connections = true,
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the gateway's own timers bound every wait
            .RemoveAllLoggers(); // the default handler logs every upstream URL on the hot path

        services.AddSingleton<IChatProvider, OpenAICompatibleProvider>();
        services.AddSingleton<IChatProvider, AnthropicProvider>();
        services.AddSingleton<IChatProvider, MockProvider>();
        services.AddSingleton<EntraTokenSource>();
        services.AddSingleton<IChatProvider, AzureOpenAIProvider>();
        services.AddSingleton<IChatProvider, GeminiProvider>();
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<DeploymentHealthBoard>();
        services.AddSingleton<DeploymentRouter>();
        services.AddSingleton<UpstreamConnector>();

        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<StreamRelay>();
        services.AddSingleton<ChatCompletionsHandler>();
        services.AddSingleton<EmbeddingsHandler>();
        services.AddSingleton<MessagesHandler>();
        services.AddSingleton<ModelsHandler>();
        services.AddSingleton<HealthHandler>();
        services.AddSingleton<UsageHandler>();
        services.AddSingleton<AdminGuard>();
        services.AddSingleton<KeyFieldsReader>();
        services.AddSingleton<AdminKeysHandler>();
        services.AddSingleton<AdminUsageHandler>();
        services.AddGatewayReadiness();
        services.AddSingleton<PlaygroundHandler>();
        services.AddHostedService<GatewayStartupReport>();
        services.AddHostedService<SecretWarmup>();
        return services;
    }
}
