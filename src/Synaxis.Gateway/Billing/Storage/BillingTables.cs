using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Billing.Storage;

/// <summary>
/// The tables billing keeps its shared state in: <c>{prefix}keys</c> (issued keys, by id), <c>{prefix}usage</c> (one
/// record per call) and <c>{prefix}counters</c> (balances, budget leases, rate-limit windows). In Azure the client
/// authenticates with the app's managed identity; locally with Azurite's connection string.
/// </summary>
public sealed class BillingTables
{
    public BillingTables(IOptions<GatewayOptions> options, IAzureCredentialFactory credentials)
    {
        var billing = options.Value.Billing;
        if (!billing.IsConfigured)
        {
            throw new InvalidOperationException("Billing storage is not configured (Synaxis:Billing:TableServiceUri or Synaxis:Billing:ConnectionString).");
        }

        var clientOptions = new TableClientOptions();
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        Service = string.IsNullOrWhiteSpace(billing.ConnectionString)
            ? new TableServiceClient(new Uri(billing.TableServiceUri!), credentials.Create(), clientOptions)
            : new TableServiceClient(billing.ConnectionString, clientOptions);
        Keys = Service.GetTableClient(billing.TablePrefix + "keys");
        Usage = Service.GetTableClient(billing.TablePrefix + "usage");
        Counters = Service.GetTableClient(billing.TablePrefix + "counters");
    }

    public TableServiceClient Service { get; }

    /// <summary>Issued keys: partition key = key id, row key = empty.</summary>
    public TableClient Keys { get; }

    /// <summary>The usage ledger: see <see cref="Ledger.UsageRecord"/> for its keys.</summary>
    public TableClient Usage { get; }

    /// <summary>Balances, budget leases and rate-limit windows: partition key = key id.</summary>
    public TableClient Counters { get; }

    public IEnumerable<TableClient> All => [Keys, Usage, Counters];

    /// <summary>Creates the tables that do not exist yet.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var table in All)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
