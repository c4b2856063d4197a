using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Http.Admin;

/// <summary>
/// Lets only the admin key (<c>Authorization: Bearer &lt;synaxis-admin-key&gt;</c>) into the admin API. Without the
/// admin key secret, or without billing storage, the admin API refuses every call and says what is missing.
/// </summary>
public sealed class AdminGuard(AdminKey adminKey, IOptions<GatewayOptions> options)
{
    private readonly bool _billing = options.Value.Billing.IsConfigured;

    /// <summary>Null when the request carries the admin key; otherwise the error to answer with.</summary>
    public async ValueTask<ApiError?> CheckAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Bearer ";
        var presented = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
        var check = await adminKey.VerifyAsync(presented, cancellationToken).ConfigureAwait(false);
        return check switch
        {
            AdminKeyCheck.Valid when _billing => null,
            AdminKeyCheck.Valid => new ApiError(503,
                "The admin API needs billing storage: set Synaxis:Billing:TableServiceUri (or Synaxis:Billing:ConnectionString locally).",
                "server_error", null, "billing_not_configured"),
            AdminKeyCheck.NotConfigured => new ApiError(403,
                $"The admin API is disabled: the secret '{adminKey.SecretName}' holding the admin key is not set.",
                "invalid_request_error", null, "admin_key_not_configured"),
            AdminKeyCheck.Unavailable => new ApiError(503,
                $"The secret store cannot be read for '{adminKey.SecretName}' right now; please retry shortly.", "server_error", null, "secret_store_unavailable")
            { RetryAfter = TimeSpan.FromSeconds(5) },
            _ when presented is null => ApiError.InvalidApiKey("The admin API needs the admin key: Authorization: Bearer <admin key>.") with { Code = null },
            _ => ApiError.InvalidApiKey("Incorrect admin key provided."),
        };
    }
}
