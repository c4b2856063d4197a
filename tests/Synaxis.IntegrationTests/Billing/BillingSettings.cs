using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Synaxis.Gateway.Billing.Ledger;
using Synaxis.Testing;

namespace Synaxis.IntegrationTests.Billing;

/// <summary>Settings and probes shared by the metering tests: one priced model on a fake upstream, billing on Azurite.</summary>
internal static class BillingSettings
{
    public const string ClientKey = "sk-metering-test";

    /// <summary>2 per million input tokens, 1 per million cached, 8 per million output tokens.</summary>
    public static Dictionary<string, string?> For(Azurite azurite, string prefix, Uri upstream)
    {
        var settings = GatewayServer.OpenAIModel(upstream);
        settings["Synaxis:Models:0:InputPricePerMillion"] = "2";
        settings["Synaxis:Models:0:CachedInputPricePerMillion"] = "1";
        settings["Synaxis:Models:0:OutputPricePerMillion"] = "8";
        settings["Synaxis:ApiKeys:0"] = ClientKey;
        settings["Synaxis:Billing:ConnectionString"] = azurite.ConnectionString;
        settings["Synaxis:Billing:TablePrefix"] = prefix;
        settings["Synaxis:Billing:FlushInterval"] = "00:00:00.200";
        settings["Synaxis:Billing:ReconcileInterval"] = "00:00:00.500";
        settings["Synaxis:Billing:LeaseDuration"] = "00:00:03";
        settings["Synaxis:Billing:PendingTimeout"] = "00:00:01";
        return settings;
    }

    public static HttpRequestMessage Chat(Uri gateway, bool stream, string? key = ClientKey, int? maxTokens = null)
    {
        var json = "{\"model\":\"gpt-4\",\"stream\":" + (stream ? "true" : "false")
            + (maxTokens is { } max ? ",\"max_tokens\":" + max : "")
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the ledger\"}]}";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "v1/chat/completions"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    public static async Task<List<UsageRecord>> UsageAsync(Azurite azurite, string prefix)
    {
        var table = new TableClient(azurite.ConnectionString, prefix + "usage");
        var rows = new List<UsageRecord>();
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            rows.Add(UsageRecord.FromEntity(entity));
        }

        return rows;
    }

    /// <summary>Waits (at most <paramref name="limit"/>) until the usage table satisfies <paramref name="done"/>; returns its rows.</summary>
    public static async Task<List<UsageRecord>> WaitForUsageAsync(Azurite azurite, string prefix, Func<List<UsageRecord>, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var rows = await UsageAsync(azurite, prefix);
            if (done(rows) || DateTime.UtcNow > deadline)
            {
                return rows;
            }

            await Task.Delay(100);
        }
    }
}
