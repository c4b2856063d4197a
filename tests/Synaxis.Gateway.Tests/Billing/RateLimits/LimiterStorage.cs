using Microsoft.Extensions.Options;
using Moq;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Secrets;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Billing.RateLimits;

/// <summary>Billing tables of their own in the shared Azurite, and issued callers with limits, for limiter tests.</summary>
internal static class LimiterStorage
{
    // 2026-11-24 10:15:00 UTC: a minute boundary, so tests know exactly how far the window reaches.
    public static readonly DateTimeOffset MinuteStart = new(2026, 11, 24, 10, 15, 0, TimeSpan.Zero);

    public static async Task<BillingTables> NewTablesAsync(string? prefix = null)
    {
        var azurite = await Azurite.SharedAsync();
        var tables = Tables(azurite.ConnectionString, prefix ?? Azurite.NewTablePrefix());
        await tables.EnsureCreatedAsync(CancellationToken.None);
        return tables;
    }

    /// <summary>A second instance's view of the same tables: its own clients, its own limiter.</summary>
    public static async Task<BillingTables> SameTablesAsync(BillingTables tables) =>
        Tables((await Azurite.SharedAsync()).ConnectionString, tables.Counters.Name[..^"counters".Length]);

    public static BillingTables Tables(string connectionString, string prefix) =>
        new(Options.Create(new GatewayOptions { Billing = new BillingOptions { ConnectionString = connectionString, TablePrefix = prefix } }),
            Mock.Of<IAzureCredentialFactory>()); // a connection string needs no credential

    public static Caller Issued(int? requestsPerMinute, int? tokensPerMinute, string? id = null)
    {
        id ??= "key_" + Guid.NewGuid().ToString("N")[..12];
        return new Caller(id, "acme", new IssuedKey
        {
            Id = id,
            Owner = "acme",
            Prefix = "sk-syn-" + id[4..11] + "…",
            Hash = new byte[32],
            RequestsPerMinute = requestsPerMinute,
            TokensPerMinute = tokensPerMinute,
        });
    }
}
