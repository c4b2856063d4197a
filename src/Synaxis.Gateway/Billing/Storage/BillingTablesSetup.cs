using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;

namespace Synaxis.Gateway.Billing.Storage;

/// <summary>
/// Creates the billing tables at start. Storage that cannot be reached does not stop the host: the failure is logged,
/// and calls that need storage answer 503 until it is back.
/// </summary>
internal sealed partial class BillingTablesSetup(IServiceProvider services, IOptions<GatewayOptions> options, ILogger<BillingTablesSetup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Billing.IsConfigured)
        {
            return;
        }

        var tables = services.GetRequiredService<BillingTables>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            await tables.EnsureCreatedAsync(limit.Token).ConfigureAwait(false);
            LogReady(tables.Service.AccountName);
        }
        catch (Exception exception) when (exception is RequestFailedException or OperationCanceledException or AggregateException
                                              or Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
        {
            LogUnavailable(tables.Service.AccountName, exception.GetType().Name, exception.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Billing tables ready in storage account {Account}")]
    private partial void LogReady(string account);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "Billing storage account {Account} is unreachable at start ({Error}: {Message}); metered calls answer 503 until it is back")]
    private partial void LogUnavailable(string account, string error, string message);
}
