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

    /// <summary>The caller when the request may go on; otherwise the 401 to answer with.</summary>
    /// <param name="request">The request.</param>
    /// <param name="acceptApiKeyHeader">Also take the key from <c>x-api-key</c> when there is no <c>Authorization</c>.</param>
    /// <param name="cancellationToken">Fires when the client is gone.</param>
    public ValueTask<Authentication> AuthenticateAsync(HttpRequest request, bool acceptApiKeyHeader, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        return ValueTask.FromResult(Authenticate(request, acceptApiKeyHeader));
    }

    private Authentication Authenticate(HttpRequest request, bool acceptApiKeyHeader)
    {
        if (_refuseOpen)
        {
            return Authentication.Refused(ApiError.InvalidApiKey("This gateway has no API keys configured and does not accept anonymous calls."));
        }

        if (keys.IsOpen)
        {
            return Authentication.Admitted(Caller.Anonymous);
        }

        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Bearer ";
        if (acceptApiKeyHeader && header.Length == 0 && request.Headers["x-api-key"].ToString() is { Length: > 0 } apiKey)
        {
            return Check(apiKey.AsSpan().Trim());
        }

        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Authentication.Refused(ApiError.InvalidApiKey(
                "You didn't provide an API key. Send it in an Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY).") with { Code = null });
        }

        // The presented key is never echoed back, not even masked: it may be somebody else's real secret.
        return Check(header.AsSpan(scheme.Length).Trim());
    }

    private Authentication Check(ReadOnlySpan<char> key) => keys.IsValid(key)
        ? Authentication.Admitted(Caller.Configured)
        : Authentication.Refused(ApiError.InvalidApiKey("Incorrect API key provided."));
}
