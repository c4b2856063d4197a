using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Secrets;

/// <summary>
/// Reads at start every secret the gateway will need (each model's key, the admin key, the client keys), so the
/// first calls find them cached and a secret that does not exist is reported now, by name and with where it was
/// looked for, rather than at the first request that needs it. A missing secret does not stop the gateway: the
/// models that need no such secret keep serving, and a call that needs it gets an error naming it.
/// </summary>
internal sealed partial class SecretWarmup(
    ISecretStore secrets,
    ModelCatalog catalog,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<SecretWarmup> logger) : IHostedService
{
    /// <summary>Longest the start waits for the reads; they go on in the background after that.</summary>
    internal static readonly TimeSpan StartWait = TimeSpan.FromSeconds(20);

    private const string AdminUser = "the admin API";

    private readonly GatewayOptions _options = options.Value;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var reads = NeededSecrets().Select(needed => CheckAsync(needed.Key, needed.Value, cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(reads).WaitAsync(StartWait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogStillReading(StartWait);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Each secret's name and who needs it, e.g. <c>openai-api-key</c> → <c>model 'gpt-4', model 'gpt-4o'</c>.</summary>
    internal Dictionary<string, List<string>> NeededSecrets()
    {
        var needed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string? name, string user)
        {
            if (!string.IsNullOrWhiteSpace(name))
            {
                (needed.TryGetValue(name, out var users) ? users : needed[name] = []).Add(user);
            }
        }

        foreach (var model in catalog.Models)
        {
            foreach (var deployment in model.Deployments)
            {
                Add(deployment.ApiKeySecret, deployment.Name == model.Name ? $"model '{model.Name}'" : $"deployment '{deployment.Name}' of model '{model.Name}'");
            }
        }

        Add(_options.ApiKeysSecret, "the client API keys (Synaxis:ApiKeysSecret)");
        Add(_options.AdminKeySecret, AdminUser);
        return needed;
    }

    private async Task CheckAsync(string name, List<string> users, CancellationToken cancellationToken)
    {
        var neededBy = string.Join(", ", users);
        if (_options.KeyVault.IsConfigured && !SecretNames.IsValidInKeyVault(name))
        {
            LogInvalidName(name, neededBy, SecretNames.ToKeyVault(name));
            return;
        }

        try
        {
            if (await secrets.GetSecretAsync(name, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }
        catch (SecretUnavailableException)
        {
            return; // the store has logged why; calls that need the secret will say so too
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogCheckFailed(name, exception); // a broken store must not keep the gateway from starting
            return;
        }

        var where = _options.KeyVault.IsConfigured
            ? $"Key Vault {_options.KeyVault.VaultUri}"
            : ConfigurationSecretStore.DescribeLocations(name);
        if (users is [AdminUser])
        {
            LogAdminKeyMissing(name, where);
        }
        else
        {
            LogMissing(name, neededBy, where);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Error,
        Message = "Secret {Secret}, needed by {NeededBy}, does not exist (looked in: {Where}); calls that need it fail with an error naming it")]
    private partial void LogMissing(string secret, string neededBy, string where);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning,
        Message = "Admin key secret {Secret} does not exist (looked in: {Where}); the admin API refuses every call until it is set")]
    private partial void LogAdminKeyMissing(string secret, string where);

    [LoggerMessage(EventId = 212, Level = LogLevel.Error,
        Message = "Secret name {Secret}, used by {NeededBy}, cannot exist in Key Vault, which allows only letters, digits and dashes; name it {Suggestion}")]
    private partial void LogInvalidName(string secret, string neededBy, string suggestion);

    [LoggerMessage(EventId = 213, Level = LogLevel.Warning, Message = "Secrets were still being read after {Wait}; serving now, the reads go on in the background")]
    private partial void LogStillReading(TimeSpan wait);

    [LoggerMessage(EventId = 214, Level = LogLevel.Error, Message = "Reading secret {Secret} at start failed")]
    private partial void LogCheckFailed(string secret, Exception exception);
}
