using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http;

/// <summary>Checks the <c>Authorization: Bearer</c> key of a request (or <c>x-api-key</c>, where Anthropic's clients send it).</summary>
public sealed class RequestAuthenticator(IApiKeyValidator keys, IOptions<GatewayOptions> options, IHostEnvironmentInfo environment)
{
    private readonly bool _refuseOpen = keys.IsOpen && environment.IsAzure && options.Value.AllowAnonymous != true;

    /// <summary>Null when the request may go on; otherwise the 401 to answer with.</summary>
    /// <param name="request">The request.</param>
    /// <param name="acceptApiKeyHeader">Also take the key from <c>x-api-key</c> when there is no <c>Authorization</c>.</param>
    public ApiError? Authenticate(HttpRequest request, bool acceptApiKeyHeader = false)
    {
        if (_refuseOpen)
        {
            return ApiError.InvalidApiKey("This gateway has no API keys configured and does not accept anonymous calls.");
        }

        if (keys.IsOpen)
        {
            return null;
        }

        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Bearer ";
        if (acceptApiKeyHeader && header.Length == 0 && request.Headers["x-api-key"].ToString() is { Length: > 0 } apiKey)
        {
            return keys.IsValid(apiKey.AsSpan().Trim()) ? null : ApiError.InvalidApiKey("Incorrect API key provided.");
        }

        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.InvalidApiKey(
                "You didn't provide an API key. Send it in an Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY).") with { Code = null };
        }

        // The presented key is never echoed back, not even masked: it may be somebody else's real secret.
        return keys.IsValid(header.AsSpan(scheme.Length).Trim())
            ? null
            : ApiError.InvalidApiKey("Incorrect API key provided.");
    }
}
