using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http;

/// <summary>Checks the <c>Authorization: Bearer</c> key of a request.</summary>
public sealed class RequestAuthenticator(IApiKeyValidator keys, IOptions<GatewayOptions> options, IHostEnvironmentInfo environment)
{
    private readonly bool _refuseOpen = keys.IsOpen && environment.IsAzure && options.Value.AllowAnonymous != true;

    /// <summary>Null when the request may go on; otherwise the 401 to answer with.</summary>
    public ApiError? Authenticate(HttpRequest request)
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
