using System.Text;
using Azure.Data.Tables;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Billing;

public sealed class KillSafetyTests
{
    [Fact]
    public async Task Streams_of_a_killed_instance_each_keep_one_record_closed_by_another_instance()
    {
        var azurite = await Azurite.SharedAsync();
        var prefix = Azurite.NewTablePrefix();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Behavior = Respond.Synthetic(600, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
        var settings = BillingSettings.For(azurite, prefix, upstream.BaseUrl);
        await using var doomed = await GatewayProcess.StartAsync(settings);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // Six streams, each under way (its first text received) when the process is killed.
        const int streams = 6;
        var responses = new List<HttpResponseMessage>();
        var requestIds = new List<string>();
        for (var i = 0; i < streams; i++)
        {
            var response = await client.SendAsync(BillingSettings.Chat(doomed.BaseUrl, stream: true), HttpCompletionOption.ResponseHeadersRead);
            responses.Add(response);
            requestIds.Add(response.Headers.GetValues("x-request-id").Single());
            var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1024];
            var text = new StringBuilder();
            while (!text.ToString().Contains("tok1 ", StringComparison.Ordinal))
            {
                var read = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }

        await doomed.KillAsync();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        // A second instance, started afterwards, finds the dead one's expired lease and closes its records.
        await using var survivor = await GatewayProcess.StartAsync(settings);
        var rows = await BillingSettings.WaitForUsageAsync(azurite, prefix,
            r => r.Count >= streams && r.All(x => x.State != UsageState.Pending), TimeSpan.FromSeconds(30));

        Assert.Equal(requestIds.Order(), rows.Select(r => r.RequestId).Order());
        Assert.All(rows, r =>
        {
            Assert.Equal(UsageState.Interrupted, r.State);
            Assert.True(r.Cost > 0m, $"{r.RequestId} cost {r.Cost}");
            Assert.Equal(r.PromptTokens * 2m / 1_000_000m, r.Cost);
        });
        var counters = new TableClient(azurite.ConnectionString, prefix + "counters");
        await FakeUpstream.WaitUntilAsync(() => !counters.Query<TableEntity>(e => e.RowKey.CompareTo("lease|") >= 0 && e.RowKey.CompareTo("lease}") < 0)
            .Any(e => e.RowKey.Contains(doomed.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the dead instance's lease to be released");
    }
}
