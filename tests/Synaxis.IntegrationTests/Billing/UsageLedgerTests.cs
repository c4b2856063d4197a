using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Billing;

public sealed class UsageLedgerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_streamed_call_leaves_one_settled_record_priced_from_the_catalog()
    {
        var azurite = await Azurite.SharedAsync();
        var prefix = Azurite.NewTablePrefix();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Behavior = Respond.Synthetic(5, TimeSpan.Zero, TimeSpan.Zero);
        await using var gateway = await GatewayServer.StartAsync(BillingSettings.For(azurite, prefix, upstream.BaseUrl));
        using var client = new HttpClient();

        using var response = await client.SendAsync(BillingSettings.Chat(gateway.BaseUrl, stream: true));
        await response.Content.ReadAsStringAsync();
        var requestId = response.Headers.GetValues("x-request-id").Single();

        var rows = await BillingSettings.WaitForUsageAsync(azurite, prefix, r => r.Any(x => x.State == UsageState.Settled), Wait);
        var record = Assert.Single(rows);
        Assert.Equal(UsageState.Settled, record.State);
        Assert.Equal(requestId, record.RequestId);
        Assert.Equal(Caller.ConfiguredKeyId, record.KeyId);
        Assert.Equal("gpt-4", record.Model);
        Assert.Equal(200, record.Status);
        Assert.True(record.Streamed);
        Assert.False(record.Aborted);
        Assert.Equal((10, 5), (record.PromptTokens, record.CompletionTokens));
        Assert.Equal((10 * 2m + 5 * 8m) / 1_000_000m, record.Cost);
        Assert.NotNull(record.TimeToFirstTokenMs);
        Assert.NotNull(record.DurationMs);
    }

    [Fact]
    public async Task A_stream_the_client_abandons_is_billed_for_the_text_it_received()
    {
        var azurite = await Azurite.SharedAsync();
        var prefix = Azurite.NewTablePrefix();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Behavior = Respond.Synthetic(200, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
        await using var gateway = await GatewayServer.StartAsync(BillingSettings.For(azurite, prefix, upstream.BaseUrl));
        using var client = new HttpClient();

        using (var response = await client.SendAsync(BillingSettings.Chat(gateway.BaseUrl, stream: true), HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[4096];
            var text = new StringBuilder();
            while (!text.ToString().Contains("tok3 ", StringComparison.Ordinal))
            {
                var read = await body.ReadAsync(buffer).AsTask().WaitAsync(Wait);
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }

        var rows = await BillingSettings.WaitForUsageAsync(azurite, prefix, r => r.Any(x => x.State == UsageState.Settled), Wait);
        var record = Assert.Single(rows);
        Assert.True(record.Aborted);
        Assert.True(record.UsageEstimated);
        Assert.InRange(record.CompletionTokens, 4, 100); // "tok0 " … at least four chunks of five characters
        Assert.True(record.Cost > record.PromptTokens * 2m / 1_000_000m, $"cost {record.Cost}");
    }

    [Fact]
    public async Task A_call_the_upstream_refuses_is_recorded_with_its_status_and_no_cost()
    {
        var azurite = await Azurite.SharedAsync();
        var prefix = Azurite.NewTablePrefix();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Behavior = (context, _) =>
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{\"error\":{\"message\":\"bad request\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
        };
        await using var gateway = await GatewayServer.StartAsync(BillingSettings.For(azurite, prefix, upstream.BaseUrl));
        using var client = new HttpClient();

        using var response = await client.SendAsync(BillingSettings.Chat(gateway.BaseUrl, stream: false));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var rows = await BillingSettings.WaitForUsageAsync(azurite, prefix, r => r.Any(x => x.State == UsageState.Settled), Wait);
        var record = Assert.Single(rows);
        Assert.Equal(400, record.Status);
        Assert.Equal(0m, record.Cost);
    }

    [Fact]
    public async Task Settled_records_queued_at_shutdown_are_written_before_the_host_stops()
    {
        var azurite = await Azurite.SharedAsync();
        var prefix = Azurite.NewTablePrefix();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Behavior = Respond.Synthetic(2, TimeSpan.Zero, TimeSpan.Zero);
        var gateway = await GatewayServer.StartAsync(BillingSettings.For(azurite, prefix, upstream.BaseUrl));
        using var client = new HttpClient();
        var calls = Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await client.SendAsync(BillingSettings.Chat(gateway.BaseUrl, stream: true));
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsStringAsync();
        });
        await Task.WhenAll(calls);

        await gateway.DisposeAsync();

        var rows = await BillingSettings.UsageAsync(azurite, prefix);
        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.Equal(UsageState.Settled, r.State));
    }
}
