using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Providers.AzureOpenAI;

/// <summary>
/// Microsoft Entra ID bearer tokens for Azure OpenAI (scope <c>https://cognitiveservices.azure.com/.default</c>).
/// A token is reused until the credential's refresh time, or five minutes before it expires; one caller
/// fetches a new one while the others wait, so a burst of requests costs one token request. A failed
/// refresh keeps using a token that has not expired yet.
/// </summary>
public sealed partial class EntraTokenSource(IAzureCredentialFactory credentials, TimeProvider time, ILogger<EntraTokenSource> logger) : IDisposable
{
    public const string Scope = "https://cognitiveservices.azure.com/.default";

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly Lazy<TokenCredential> _credential = new(credentials.Create);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CachedToken? _current;

    /// <summary>A token, or null when none could be had (the reason is logged, never shown to clients).</summary>
    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && cached.IsFresh(time.GetUtcNow()))
        {
            return cached.Value;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            var current = _current;
            if (current is not null && current.IsFresh(now))
            {
                return current.Value; // another caller refreshed it while this one waited
            }

            try
            {
                var token = await _credential.Value.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false);
                _current = new CachedToken(token.Token, token.ExpiresOn, token.RefreshOn ?? token.ExpiresOn - RefreshMargin);
                return token.Token;
            }
            catch (AuthenticationFailedException exception)
            {
                LogTokenFailed(exception.GetType().Name, exception.Message);
                return current is not null && now < current.ExpiresOn ? current.Value : null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "Could not get a Microsoft Entra ID token for Azure OpenAI: {ExceptionType}: {Reason}")]
    private partial void LogTokenFailed(string exceptionType, string reason);

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresOn, DateTimeOffset RefreshOn)
    {
        public bool IsFresh(DateTimeOffset now) => now < RefreshOn && now < ExpiresOn - RefreshMargin;
    }
}
