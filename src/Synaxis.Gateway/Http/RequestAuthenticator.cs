using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Billing.Keys;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http;

/// <summary>
/// Checks the <c>Authorization: Bearer</c> key of a request (or <c>x-api-key</c>, where Anthropic's clients send it):
/// an issued key (<c>sk-syn-…</c>, when billing storage is configured) through the <see cref="KeyDirectory"/>, any
/// other against the configured keys. A gateway with no configured keys is open to anyone, except in Azure (unless
/// <c>Synaxis:AllowAnonymous</c>); with billing storage it is never open in Azure, and locally only until its first key
/// is issued.
/// </summary>
public sealed class RequestAuthenticator
{
    private const string IncorrectKey = "Incorrect API key provided.";

    private readonly IApiKeyValidator _keys;
    private readonly KeyDirectory? _issued;
    private readonly IssuedKeysPresence? _presence;
    private readonly bool _refuseOpen;

    public RequestAuthenticator(IApiKeyValidator keys, IOptions<GatewayOptions> options, IHostEnvironmentInfo environment, IServiceProvider services)
    {
        _keys = keys;
        var billing = options.Value.Billing.IsConfigured;
        if (billing)
        {
            _issued = services.GetRequiredService<KeyDirectory>();
            _presence = services.GetRequiredService<IssuedKeysPresence>();
        }

        // Billing in Azure means paying callers: never open, whatever AllowAnonymous says.
        _refuseOpen = keys.IsOpen && environment.IsAzure && (billing || options.Value.AllowAnonymous != true);
    }

    /// <summary>
    /// The caller when the request may go on; otherwise the error to answer with (401, or 503 when key storage is
    /// unreachable or this instance is over its budget of key lookups).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="acceptApiKeyHeader">Also take the key from <c>x-api-key</c> when there is no <c>Authorization</c>.</param>
    /// <param name="cancellationToken">Fires when the client is gone.</param>
    public async ValueTask<Authentication> AuthenticateAsync(HttpRequest request, bool acceptApiKeyHeader, CancellationToken cancellationToken)
    {
        try
        {
            return await AuthenticateCoreAsync(request, acceptApiKeyHeader, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (StorageFailure.Is(failure))
        {
            return Authentication.Refused(ApiError.BillingUnavailable());
        }
    }

    private async ValueTask<Authentication> AuthenticateCoreAsync(HttpRequest request, bool acceptApiKeyHeader, CancellationToken cancellationToken)
    {
        // The presented key is never echoed back, not even masked: it may be somebody else's real secret.
        var presented = PresentedKey(request, acceptApiKeyHeader);
        if (_issued is not null && presented is not null && ApiKeyFormat.TryParseId(presented, out _))
        {
            KeyCheck check;
            try
            {
                check = await _issued.CheckAsync(presented, cancellationToken).ConfigureAwait(false);
            }
            catch (KeyLookupsExhaustedException)
            {
                return _keys.IsValid(presented) ? Authentication.Admitted(Caller.Configured) : Authentication.Refused(ApiError.KeyLookupsExhausted());
            }

            switch (check.Status)
            {
                case KeyCheckStatus.Valid:
                    return Authentication.Admitted(new Caller(check.Key!.Id, check.Key.Owner, check.Key));
                case KeyCheckStatus.Revoked:
                    return Authentication.Refused(ApiError.InvalidApiKey("This API key has been revoked.") with { Code = "key_revoked" });
                case KeyCheckStatus.Expired:
                    return Authentication.Refused(ApiError.InvalidApiKey("This API key has expired.") with { Code = "key_expired" });
            }

            // Unknown: it may still be a configured key that happens to have the same shape.
        }

        if (_refuseOpen && _issued is null)
        {
            return Authentication.Refused(ApiError.InvalidApiKey("This gateway has no API keys configured and does not accept anonymous calls."));
        }

        if (_keys.IsOpen && !_refuseOpen && (_presence is null || !await _presence.AnyAsync(cancellationToken).ConfigureAwait(false)))
        {
            return Authentication.Admitted(Caller.Anonymous);
        }

        if (presented is null)
        {
            return Authentication.Refused(ApiError.InvalidApiKey(
                "You didn't provide an API key. Send it in an Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY).") with { Code = null });
        }

        return _keys.IsValid(presented)
            ? Authentication.Admitted(Caller.Configured)
            : Authentication.Refused(ApiError.InvalidApiKey(IncorrectKey));
    }

    private static string? PresentedKey(HttpRequest request, bool acceptApiKeyHeader)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Bearer ";
        if (acceptApiKeyHeader && header.Length == 0 && request.Headers["x-api-key"].ToString() is { Length: > 0 } apiKey)
        {
            return apiKey.Trim();
        }

        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }
}
