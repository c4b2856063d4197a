using System.Net;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Billing;

/// <summary>The pending usage record is written while the call is routed, and no byte of an answer goes out before it is stored.</summary>
public sealed class PendingRecordTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task No_byte_of_the_answer_goes_out_before_the_pending_record_is_stored(bool stream)
    {
        var ledger = new GatedLedger();
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream, ledger);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var call = client.SendAsync(BillingSettings.Chat(gateway.BaseUrl, stream), HttpCompletionOption.ResponseHeadersRead);
        await ledger.Begun.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // The upstream answers at once; the gateway holds the answer back, headers included, while the record is unwritten.
        await FakeUpstream.WaitUntilAsync(() => upstream.Requests.Count == 1, TimeSpan.FromSeconds(10), "the upstream call");
        await Task.Delay(300);
        Assert.False(call.IsCompleted);

        ledger.Store.SetResult();
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        await FakeUpstream.WaitUntilAsync(() => ledger.Completed.Count == 1, TimeSpan.FromSeconds(10), "the settled record");
        Assert.Equal(UsageState.Settled, ledger.Completed.Single().State);
    }

    [Fact]
    public async Task A_call_whose_pending_record_cannot_be_stored_gets_503_and_leaves_no_settled_record()
    {
        var ledger = new GatedLedger();
        ledger.Store.SetException(new RequestFailedException(503, "storage is down"));
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await StartAsync(upstream, ledger);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var response = await client.SendAsync(BillingSettings.Chat(gateway.BaseUrl, stream: true));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("billing_unavailable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(ledger.Completed);
    }

    private static async Task<GatewayServer> StartAsync(FakeUpstream upstream, GatedLedger ledger)
    {
        var azurite = await Azurite.SharedAsync();
        return await GatewayServer.StartAsync(BillingSettings.For(azurite, Azurite.NewTablePrefix(), upstream.BaseUrl),
            builder => builder.Services.AddSingleton<IUsageLedger>(ledger));
    }

    /// <summary>A ledger whose pending writes finish when the test says so.</summary>
    private sealed class GatedLedger : IUsageLedger
    {
        public TaskCompletionSource Begun { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Store { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<UsageRecord> Completed { get; } = new();

        public async ValueTask BeginAsync(UsageRecord pending, CancellationToken cancellationToken)
        {
            Begun.TrySetResult();
            await Store.Task.ConfigureAwait(false);
        }

        public ValueTask CompleteAsync(UsageRecord settled)
        {
            Completed.Enqueue(settled);
            return ValueTask.CompletedTask;
        }
    }
}
