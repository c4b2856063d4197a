using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Billing.Reports;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http.Reports;

/// <summary><c>GET /v1/usage</c>: the calling key's calls, tokens and cost by day and model, and its balance; or its calls as CSV.</summary>
public sealed class UsageHandler(RequestAuthenticator authenticator, IServiceProvider services, IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly bool _billing = options.Value.Billing.IsConfigured;

    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        RequestIds.Assign(context);
        var authentication = await authenticator.AuthenticateAsync(context.Request, acceptApiKeyHeader: false, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var (query, error) = authentication.Error is null ? UsageQuery.Read(context.Request, now) : (null, authentication.Error);
        error ??= _billing ? null : BillingNotConfigured;
        if (error is not null)
        {
            await HttpResponses.WriteErrorAsync(context.Response, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        var caller = authentication.Caller!;
        var reader = services.GetRequiredService<UsageReader>();
        try
        {
            if (query!.Csv)
            {
                // Read the first page before the headers go out, so a storage failure can still be a 503.
                await using var rows = reader.ReadAsync(caller.KeyId, query.Start, query.End, cancellationToken).GetAsyncEnumerator(cancellationToken);
                var any = await rows.MoveNextAsync().ConfigureAwait(false);
                await using var csv = await UsageCsv.StartAsync(context.Response, withKey: false).ConfigureAwait(false);
                for (; any; any = await rows.MoveNextAsync().ConfigureAwait(false))
                {
                    await csv.WriteAsync(rows.Current).ConfigureAwait(false);
                }

                return;
            }

            var report = new UsageReport();
            await foreach (var record in reader.ReadAsync(caller.KeyId, query.Start, query.End, cancellationToken).ConfigureAwait(false))
            {
                report.Add(record);
            }

            KeyBalance? balance = caller.Key is null ? null : await services.GetRequiredService<KeyCredit>().ReadAsync(caller.KeyId, cancellationToken).ConfigureAwait(false);
            await HttpResponses.WriteJsonAsync(context.Response, UsageJson.Report(caller.KeyId, query, report, balance, caller.Key, now), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (StorageFailure.Is(failure) && !context.Response.HasStarted)
        {
            await HttpResponses.WriteErrorAsync(context.Response, ApiError.BillingUnavailable(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Usage is recorded only with billing storage.</summary>
    internal static ApiError BillingNotConfigured { get; } = new(404,
        "This gateway records no usage: billing storage (Synaxis:Billing:TableServiceUri) is not configured.", "invalid_request_error", null, "billing_not_configured");
}
