using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;
using Synaxis.Gateway.Tests.Fakes;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Routing;

/// <summary>
/// A real provider called the way the gateway calls it: one attempt of the <see cref="DeploymentRouter"/> on
/// the call's own deployment (no retries), so that a provider test sees what the router adds, such as
/// re-reading a refused key.
/// </summary>
internal static class RoutedProvider
{
    public static async Task<CompletionResult> CompleteAsync(IChatProvider provider, ProviderCall call, ISecretStore secrets, LogSink? logs = null)
    {
        var routed = await Router(call.Deployment, secrets, logs).RouteAsync<CompletionAttempt>(ModelOf(call.Deployment), call.RequestId,
            (_, firstByte, token) => CompletionAttempt.RunAsync(provider, call, TimeProvider.System, firstByte, token), CancellationToken.None);
        await using var attempt = routed.Attempt;
        return routed.Failure is { } failure ? CompletionResult.Failed(failure) : attempt!.Result;
    }

    /// <summary>Opens the stream up to its first chunk; the failure, or null when it opened.</summary>
    public static async Task<UpstreamFailure?> OpenStreamAsync(IChatProvider provider, ProviderCall call, ISecretStore secrets, LogSink? logs = null)
    {
        var routed = await Router(call.Deployment, secrets, logs).RouteAsync<StreamAttempt>(ModelOf(call.Deployment), call.RequestId,
            (_, firstByte, token) => StreamAttempt.OpenAsync(provider, call, TimeProvider.System, firstByte, token), CancellationToken.None);
        await using var attempt = routed.Attempt;
        return routed.Failure;
    }

    public static async Task<EmbeddingsResult> EmbedAsync(IEmbeddingsProvider provider, EmbeddingsCall call, ISecretStore secrets)
    {
        var routed = await Router(call.Deployment, secrets).RouteAsync<EmbeddingsAttempt>(ModelOf(call.Deployment), call.RequestId,
            (_, firstByte, token) => EmbeddingsAttempt.RunAsync(provider, call, TimeProvider.System, firstByte, token), CancellationToken.None);
        await using var attempt = routed.Attempt;
        return routed.Failure is { } failure ? EmbeddingsResult.Failed(failure) : attempt!.Result;
    }

    private static CatalogModel ModelOf(ModelDeployment deployment) => new() { Name = deployment.Name, OwnedBy = deployment.OwnedBy, Deployments = [deployment] };

    private static DeploymentRouter Router(ModelDeployment deployment, ISecretStore secrets, LogSink? logs = null)
    {
        // The health board knows deployments by name: a catalog entry of the same name gives it one.
        var options = Options.Create(new GatewayOptions
        {
            Routing = new RoutingOptions { MaxAttempts = 1 },
            Models = [new ModelOptions { Name = deployment.Name, Provider = "mock" }],
        });
        var health = new DeploymentHealthBoard(new ModelCatalog(options), options, TimeProvider.System, NullLogger<DeploymentHealthBoard>.Instance);
        return new DeploymentRouter(health, secrets, options, TimeProvider.System,
            logs is null ? NullLogger<DeploymentRouter>.Instance : TestLogs.For<DeploymentRouter>(logs));
    }
}
