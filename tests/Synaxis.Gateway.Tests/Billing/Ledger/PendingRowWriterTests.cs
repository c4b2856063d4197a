using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Billing.Ledger;

public sealed class PendingRowWriterTests
{
    [Fact]
    public async Task Rows_of_one_key_written_together_share_transactions_and_every_row_is_stored()
    {
        var (table, requests) = await NewTableAsync();
        var writer = new PendingRowWriter(table);
        var before = requests.Count;

        var rows = Enumerable.Range(0, 250).Select(i => new TableEntity("key_a|20261124", $"req_{i:D4}") { ["State"] = "Pending" }).ToList();
        await Task.WhenAll(rows.Select(writer.WriteAsync));

        var stored = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(r => r.PartitionKey == "key_a|20261124"))
        {
            stored.Add(row.RowKey);
        }

        Assert.Equal(rows.Select(r => r.RowKey).Order(), stored.Order());
        // The first row goes alone, the rest wait for it and go in transactions of at most 100: far fewer than 250 writes.
        Assert.InRange(requests.Count - before, 3, 10);
    }

    [Fact]
    public async Task A_lone_row_is_written_at_once_without_waiting_for_company()
    {
        var (table, requests) = await NewTableAsync();
        var writer = new PendingRowWriter(table);
        var before = requests.Count;

        await writer.WriteAsync(new TableEntity("key_b|20261124", "req_1")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, requests.Count - before);
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("key_b|20261124", "req_1")).HasValue);
    }

    [Fact]
    public async Task Every_caller_of_a_failed_batch_gets_the_failure_and_the_next_batch_is_still_written()
    {
        var azurite = await Azurite.SharedAsync();
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(Azurite.NewTablePrefix() + "usage");
        var writer = new PendingRowWriter(table);

        // The table does not exist yet: every row of the batch in flight fails with the service's answer.
        var failed = Enumerable.Range(0, 20).Select(i => writer.WriteAsync(new TableEntity("key_c|20261124", $"req_bad{i}"))).ToList();
        foreach (var write in failed)
        {
            var exception = await Assert.ThrowsAnyAsync<RequestFailedException>(() => write.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(404, exception.Status);
        }

        await table.CreateAsync();
        await writer.WriteAsync(new TableEntity("key_c|20261124", "req_good")).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("key_c|20261124", "req_good")).HasValue);
    }

    private static async Task<(TableClient Table, RequestCounter Requests)> NewTableAsync()
    {
        var azurite = await Azurite.SharedAsync();
        var counter = new RequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var table = new TableServiceClient(azurite.ConnectionString, options).GetTableClient(Azurite.NewTablePrefix() + "usage");
        await table.CreateIfNotExistsAsync();
        return (table, counter);
    }

    /// <summary>Counts the requests the table client sends.</summary>
    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
