using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Billing.Budgets;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http.Admin;

/// <summary>
/// The admin API over issued keys: <c>POST /admin/keys</c> (issue), <c>GET /admin/keys[?owner=]</c>,
/// <c>GET|PATCH /admin/keys/{id}</c>, <c>POST /admin/keys/{id}/credit</c> and <c>POST /admin/keys/{id}/revoke</c>
/// (<c>DELETE /admin/keys/{id}</c>). Every call needs the admin key; storage is touched only after that check.
/// </summary>
public sealed class AdminKeysHandler(AdminGuard guard, KeyFieldsReader reader, IServiceProvider services, TimeProvider time)
{
    public Task CreateAsync(HttpContext context, CancellationToken cancellationToken) =>
        RunAsync(context, readBody: true, async (body, ct) =>
        {
            var (fields, error) = reader.ReadCreate(body!.RootElement);
            if (error is not null)
            {
                return error;
            }

            var template = new IssuedKey
            {
                Id = string.Empty,
                Prefix = string.Empty,
                Hash = [],
                Owner = fields!.Owner!,
                Name = fields.Name,
                AllowedModels = fields.AllowedModels,
                RequestsPerMinute = fields.RequestsPerMinute,
                TokensPerMinute = fields.TokensPerMinute,
                MonthlyBudget = fields.MonthlyBudget,
                ExpiresAt = fields.ExpiresAt,
                Prepaid = fields.Credit is not null,
            };
            var (key, text) = await Keys.IssueAsync(template, ct).ConfigureAwait(false);
            KeyBalance? balance = null;
            if (fields.Credit is { } credit)
            {
                balance = await Credit.AddAsync(key.Id, credit, ct).ConfigureAwait(false);
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            await HttpResponses.WriteJsonAsync(context.Response, KeyJson.Created(key, text, balance, time.GetUtcNow()), ct).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    public Task ListAsync(HttpContext context, CancellationToken cancellationToken) =>
        RunAsync(context, readBody: false, async (_, ct) =>
        {
            var owner = context.Request.Query["owner"].ToString();
            var keys = new List<IssuedKey>();
            await foreach (var key in Keys.ListAsync(owner.Length == 0 ? null : owner, ct).ConfigureAwait(false))
            {
                keys.Add(key);
            }

            await HttpResponses.WriteJsonAsync(context.Response, KeyJson.List(keys.OrderBy(k => k.CreatedAt), time.GetUtcNow()), ct).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    public Task GetAsync(HttpContext context, string id, CancellationToken cancellationToken) =>
        RunAsync(context, readBody: false, async (_, ct) =>
        {
            if (!ApiKeyFormat.IsId(id) || await Keys.GetAsync(id, ct).ConfigureAwait(false) is not { } key)
            {
                return NoSuchKey(id);
            }

            await WriteViewAsync(context, key, ct).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    public Task UpdateAsync(HttpContext context, string id, CancellationToken cancellationToken) =>
        RunAsync(context, readBody: true, async (body, ct) =>
        {
            var (fields, error) = reader.ReadUpdate(body!.RootElement);
            if (error is not null)
            {
                return error;
            }

            var changed = ApiKeyFormat.IsId(id) ? await Keys.ChangeAsync(id, key => Apply(key, fields!), ct).ConfigureAwait(false) : null;
            if (changed is null)
            {
                return NoSuchKey(id);
            }

            await WriteViewAsync(context, changed, ct).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    public Task CreditAsync(HttpContext context, string id, CancellationToken cancellationToken) =>
        RunAsync(context, readBody: true, async (body, ct) =>
        {
            var (amount, error) = KeyFieldsReader.ReadCredit(body!.RootElement);
            if (error is not null)
            {
                return error;
            }

            // Prepaid first: from now on calls draw on the credit, which the top-up below makes available.
            var key = ApiKeyFormat.IsId(id) ? await Keys.ChangeAsync(id, k => k with { Prepaid = true }, ct).ConfigureAwait(false) : null;
            if (key is null)
            {
                return NoSuchKey(id);
            }

            var balance = await Credit.AddAsync(id, amount, ct).ConfigureAwait(false);
            await HttpResponses.WriteJsonAsync(context.Response, KeyJson.Balance(balance, key, time.GetUtcNow()), ct).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    public Task RevokeAsync(HttpContext context, string id, CancellationToken cancellationToken) =>
        RunAsync(context, readBody: false, async (_, ct) =>
        {
            var key = ApiKeyFormat.IsId(id) ? await Keys.ChangeAsync(id, k => k with { Revoked = true }, ct).ConfigureAwait(false) : null;
            if (key is null)
            {
                return NoSuchKey(id);
            }

            await WriteViewAsync(context, key, ct).ConfigureAwait(false);
            return null;
        }, cancellationToken);

    private KeyAdministration Keys => services.GetRequiredService<KeyAdministration>();

    private KeyCredit Credit => services.GetRequiredService<KeyCredit>();

    private static IssuedKey Apply(IssuedKey key, KeyFields fields) => key with
    {
        Owner = fields.HasOwner ? fields.Owner! : key.Owner,
        Name = fields.HasName ? fields.Name : key.Name,
        AllowedModels = fields.HasAllowedModels ? fields.AllowedModels : key.AllowedModels,
        RequestsPerMinute = fields.HasRequestsPerMinute ? fields.RequestsPerMinute : key.RequestsPerMinute,
        TokensPerMinute = fields.HasTokensPerMinute ? fields.TokensPerMinute : key.TokensPerMinute,
        MonthlyBudget = fields.HasMonthlyBudget ? fields.MonthlyBudget : key.MonthlyBudget,
        ExpiresAt = fields.HasExpiresAt ? fields.ExpiresAt : key.ExpiresAt,
    };

    // A malformed id is not echoed: it may be a key pasted into the wrong place.
    private static ApiError NoSuchKey(string id) =>
        ApiError.NotFound(ApiKeyFormat.IsId(id) ? $"No API key with id '{id}'." : "No API key with this id; ids look like key_AbCdEf123456.") with { Code = "key_not_found" };

    private async Task WriteViewAsync(HttpContext context, IssuedKey key, CancellationToken cancellationToken)
    {
        var balance = await Credit.ReadAsync(key.Id, cancellationToken).ConfigureAwait(false);
        await HttpResponses.WriteJsonAsync(context.Response, KeyJson.View(key, balance, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Admin key, then the body, then the work; storage failures become 503, bad input 400.</summary>
    private async Task RunAsync(HttpContext context, bool readBody, Func<System.Text.Json.JsonDocument?, CancellationToken, Task<ApiError?>> work, CancellationToken cancellationToken)
    {
        RequestIds.Assign(context);
        var error = await guard.CheckAsync(context.Request, cancellationToken).ConfigureAwait(false);
        System.Text.Json.JsonDocument? body = null;
        if (error is null && readBody)
        {
            (body, error) = await AdminBody.ReadAsync(context.Request, emptyAllowed: false, cancellationToken).ConfigureAwait(false);
        }

        using (body)
        {
            if (error is null)
            {
                try
                {
                    error = await work(body, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception failure) when (StorageFailure.Is(failure))
                {
                    error = ApiError.BillingUnavailable();
                }
            }
        }

        if (error is not null)
        {
            await HttpResponses.WriteErrorAsync(context.Response, error, cancellationToken).ConfigureAwait(false);
        }
    }
}
