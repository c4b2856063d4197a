using Microsoft.Extensions.DependencyInjection;

namespace Synaxis.Gateway.Health;

/// <summary>Registers the readiness checks and <see cref="ReadinessHandler"/>.</summary>
internal static class HealthServiceCollectionExtensions
{
    public const string KeyVault = "key_vault";

    public const string BillingStorage = "billing_storage";

    public static IServiceCollection AddGatewayReadiness(this IServiceCollection services)
    {
        services.AddSingleton<SecretStoreHealthCheck>();
        services.AddSingleton<BillingStorageHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<SecretStoreHealthCheck>(KeyVault)
            .AddCheck<BillingStorageHealthCheck>(BillingStorage);
        services.AddSingleton<ReadinessHandler>();
        return services;
    }
}
