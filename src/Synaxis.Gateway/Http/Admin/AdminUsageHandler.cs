using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Billing.Reports;
using Synaxis.Gateway.Http.Reports;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http.Admin;

/// <summary>
/// <c>GET /admin/usage?start=&amp;end=&amp;key_id=&amp;format=csv</c>: usage across keys, totals per key (every issued
/// key, plus the configured keys' and anonymous calls), or every call as CSV with its key id.
/// </summary>
public sealed class AdminUsageHandler(AdminGuard guard, IServiceProvider services, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        RequestIds.Assign(context);
        var error = await guard.CheckAsync(context.Request, cancellationToken).ConfigureAwait(false);
        var (query, queryError) = error is null ? UsageQuery.Read(context.Request, time.GetUtcNow()) : (null, null);
        var keyId = context.Request.Query["key_id"].ToString();
        error ??= queryError ?? (keyId.Length == 0 || ApiKeyFormat.IsId(keyId) || keyId is Caller.ConfiguredKeyId or Caller.AnonymousKeyId
            ? null
            : ApiError.InvalidValue("key_id", "'key_id' must be a key id (key_…), 'configured' or 'anonymous'."));
        if (error is null)
        {
            try
            {
                var keys = await KeysAsync(keyId, cancellationToken).ConfigureAwait(false);
                await (query!.Csv ? WriteCsvAsync(context, query, keys, cancellationToken) : WriteJsonAsync(context, query, keys, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception failure) when (StorageFailure.Is(failure) && !context.Response.HasStarted)
            {
                error = ApiError.BillingUnavailable();
            }
        }

        if (error is not null)
        {
            await HttpResponses.WriteErrorAsync(context.Response, error, cancellationToken).ConfigureAwait(false);
        }
    }

    private UsageReader Reader => services.GetRequiredService<UsageReader>();

    private async Task<List<(string KeyId, string? Owner)>> KeysAsync(string keyId, CancellationToken cancellationToken)
    {
        var keys = new List<(string, string?)>();
        await foreach (var key in services.GetRequiredService<KeyAdministration>().ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (keyId.Length == 0 || key.Id == keyId)
            {
                keys.Add((key.Id, key.Owner));
            }
        }

        foreach (var id in (string[])[Caller.ConfiguredKeyId, Caller.AnonymousKeyId])
        {
            if (keyId.Length == 0 || keyId == id)
            {
                keys.Add((id, null));
            }
        }

        return keys;
    }

    private async Task WriteJsonAsync(HttpContext context, UsageQuery query, List<(string KeyId, string? Owner)> keys, CancellationToken cancellationToken)
    {
        var totals = new List<(string, string?, UsageTotals)>();
        foreach (var (keyId, owner) in keys)
        {
            var sum = new UsageTotals();
            await foreach (var record in Reader.ReadAsync(keyId, query.Start, query.End, cancellationToken).ConfigureAwait(false))
            {
                sum.Add(record);
            }

            // Keys without calls in the range are left out, except the one asked for by key_id.
            if (sum.Requests > 0 || keys.Count == 1)
            {
                totals.Add((keyId, owner, sum));
            }
        }

        await HttpResponses.WriteJsonAsync(context.Response, UsageJson.PerKey(query, totals), cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteCsvAsync(HttpContext context, UsageQuery query, List<(string KeyId, string? Owner)> keys, CancellationToken cancellationToken)
    {
        await using var csv = await UsageCsv.StartAsync(context.Response, withKey: true).ConfigureAwait(false);
        foreach (var (keyId, _) in keys)
        {
            await foreach (var record in Reader.ReadAsync(keyId, query.Start, query.End, cancellationToken).ConfigureAwait(false))
            {
                await csv.WriteAsync(record).ConfigureAwait(false);
            }
        }
    }
}
