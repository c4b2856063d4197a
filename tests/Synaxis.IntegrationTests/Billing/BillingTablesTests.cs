using Microsoft.Extensions.DependencyInjection;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Billing;

public sealed class BillingTablesTests
{
    [Fact]
    public async Task The_gateway_creates_its_billing_tables_in_Azurite_at_start()
    {
        var azurite = await Azurite.SharedAsync();
        var prefix = Azurite.NewTablePrefix();
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["Synaxis:Billing:ConnectionString"] = azurite.ConnectionString,
            ["Synaxis:Billing:TablePrefix"] = prefix,
        });

        var tables = gateway.Services.GetRequiredService<BillingTables>();
        var names = new List<string>();
        await foreach (var table in tables.Service.QueryAsync(t => t.Name.CompareTo(prefix) >= 0 && t.Name.CompareTo(prefix + "~") < 0))
        {
            names.Add(table.Name);
        }

        Assert.Equal([prefix + "counters", prefix + "keys", prefix + "usage"], names.Order().ToArray());
    }

    [Fact]
    public async Task A_gateway_process_shares_Azurite_and_is_gone_once_killed()
    {
        var azurite = await Azurite.SharedAsync();
        var prefix = Azurite.NewTablePrefix();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Synaxis:Billing:ConnectionString"] = azurite.ConnectionString,
            ["Synaxis:Billing:TablePrefix"] = prefix,
        });

        var service = new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString);
        var created = false;
        for (var i = 0; i < 100 && !created; i++)
        {
            await foreach (var table in service.QueryAsync(t => t.Name == prefix + "usage"))
            {
                created = true;
            }

            await Task.Delay(50);
        }

        Assert.True(created, gateway.Output);
        await gateway.KillAsync();
        Assert.True(gateway.HasExited);
    }
}
