using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Synaxis.Bench.Processes;

/// <summary>
/// The gateway with billing on, for <c>--metering</c>: the same build as <c>synaxis</c>, with Azurite as its Table
/// Storage, prices on the bench model, and an issued key (rate limits far above the load, prepaid credit that never
/// runs out), so every request takes the whole metered path: the issued-key check, the rate-limit and budget checks,
/// the pending usage record before the answer and the settled one after.
/// </summary>
internal static class MeteredGateway
{
    public const string Name = "synaxis-metered";

    // The admin key of a throwaway gateway on loopback, living as long as the run.
    private const string AdminKey = "bench-admin-key-for-this-run-only";

    public static ChildProcess Start(string hostDll, Uri upstreamApiBase, ChildProcess azurite, IReadOnlyDictionary<string, string> environment)
    {
        var metered = new Dictionary<string, string>(environment)
        {
            ["Synaxis__Billing__ConnectionString"] = AzuriteProcess.ConnectionString(azurite),
            ["SYNAXIS_ADMIN_KEY"] = AdminKey,
            ["Synaxis__Models__0__InputPricePerMillion"] = "2.50",
            ["Synaxis__Models__0__OutputPricePerMillion"] = "10.00",
        };
        return SynaxisProcess.Start(hostDll, upstreamApiBase, metered, Name);
    }

    /// <summary>Issues the key the metered target sends.</summary>
    public static async Task<string> IssueKeyAsync(HttpClient control, ChildProcess gateway, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseUrl, "v1/admin/keys"))
        {
            Content = new StringContent(
                """{"owner":"bench","name":"metering","requests_per_minute":10000000,"tokens_per_minute":2000000000,"credit":1000000}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await control.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailure($"{Name} refused to issue a key: {(int)response.StatusCode} {body} {gateway.OutputTail()}");
        }

        using var created = JsonDocument.Parse(body);
        return created.RootElement.GetProperty("key").GetString() ?? throw new BenchFailure($"{Name} issued no key: {body}");
    }
}
