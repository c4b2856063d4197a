using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Hosting;

/// <summary>Says at start what the gateway serves, and says loudly when it is open to anyone.</summary>
internal sealed partial class GatewayStartupReport(
    ModelCatalog catalog,
    IApiKeyValidator keys,
    IHostEnvironmentInfo environment,
    ILogger<GatewayStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (catalog.Models.Count == 0)
        {
            LogEmptyCatalog();
        }
        else
        {
            LogCatalog(catalog.Models.Count, string.Join(", ", catalog.Models.Select(m =>
                $"{m.Name} ({string.Join(", ", m.Deployments.Select(d => d.Name == m.Name ? d.Provider : $"{d.Name}: {d.Provider}"))})")));
        }

        if (keys.IsOpen)
        {
            if (environment.IsAzure)
            {
                LogOpenRefused();
            }
            else
            {
                LogOpen();
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Serving {Count} models: {Models}")]
    private partial void LogCatalog(int count, string models);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The model catalog is empty (Synaxis:Models): every chat request will get 404.")]
    private partial void LogEmptyCatalog();

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "!!! NO API KEYS CONFIGURED: this gateway is OPEN and answers anyone who can reach it. Set Synaxis:ApiKeys or Synaxis:ApiKeysSecret before exposing it. !!!")]
    private partial void LogOpen();

    [LoggerMessage(EventId = 4, Level = LogLevel.Error,
        Message = "No API keys are configured and this instance runs in Azure: every call is refused with 401 until Synaxis:ApiKeys or Synaxis:ApiKeysSecret is set (or Synaxis:AllowAnonymous is true).")]
    private partial void LogOpenRefused();
}
