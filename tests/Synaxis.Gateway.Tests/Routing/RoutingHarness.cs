using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Tests.Routing;

/// <summary>
/// The router over a catalog of one model (<c>gpt-4</c>) with the given deployments, on a
/// <see cref="FakeTimeProvider"/>, with attempts scripted per deployment instead of upstream calls.
/// </summary>
internal sealed class RoutingHarness
{
    public RoutingHarness(RoutingOptions routing, params DeploymentOptions[] deployments)
    {
        var options = Options.Create(new GatewayOptions
        {
            Routing = routing,
            Models = [new ModelOptions { Name = "gpt-4", Provider = "mock", Deployments = [.. deployments] }],
        });
        Catalog = new ModelCatalog(options);
        Health = new DeploymentHealthBoard(Catalog, options, Time, NullLogger<DeploymentHealthBoard>.Instance);
        Router = new DeploymentRouter(Health, Secrets, options, Time, NullLogger<DeploymentRouter>.Instance, new Random(7));
    }

    public FakeTimeProvider Time { get; } = new();

    public ModelCatalog Catalog { get; }

    public DeploymentHealthBoard Health { get; }

    public DeploymentRouter Router { get; }

    public CountingSecrets Secrets { get; } = new();

    public CatalogModel Model => Catalog.Models[0];

    /// <summary>Every call made, in order: which deployment, when, and the first-byte timeout it was given.</summary>
    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>How each deployment answers its n-th call (from 0); success when unset.</summary>
    public Func<string, int, Task<UpstreamFailure?>> Script { get; set; } = (_, _) => Task.FromResult<UpstreamFailure?>(null);

    public List<ScriptedAttempt> Attempts { get; } = [];

    public static DeploymentOptions Deployment(string name, int priority = 1, int weight = 1, string? apiKeySecret = null) =>
        new() { Name = name, Priority = priority, Weight = weight, ApiKeySecret = apiKeySecret, FirstByteTimeout = TimeSpan.FromSeconds(30) };

    public static UpstreamFailure Failure(UpstreamFailureKind kind, int? status = null, TimeSpan? retryAfter = null) =>
        new(kind, "scripted") { UpstreamStatus = status, RetryAfter = retryAfter };

    /// <summary>Routes one call. Bounded in real time: a route waiting on fake time nobody advances fails instead of hanging.</summary>
    public Task<RouteResult<ScriptedAttempt>> RouteAsync(CancellationToken cancellationToken = default) =>
        Router.RouteAsync<ScriptedAttempt>(Model, "req-test", CallAsync, cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

    /// <summary>Advances fake time in small steps until <paramref name="task"/> is done (bounded in real time).</summary>
    public async Task<T> DriveAsync<T>(Task<T> task, TimeSpan step)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!task.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "routing did not finish");
            Time.Advance(step);
            await Task.Delay(1);
        }

        return await task;
    }

    /// <summary>Waits (bounded, real time) until <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition never held");
            await Task.Delay(1);
        }
    }

    private async Task<ScriptedAttempt> CallAsync(ModelDeployment deployment, TimeSpan firstByteTimeout, CancellationToken cancellationToken)
    {
        var n = Calls.Count(c => c.Deployment == deployment.Name);
        Calls.Enqueue(new Call(deployment.Name, Time.GetUtcNow(), firstByteTimeout));
        var failure = await Script(deployment.Name, n).WaitAsync(cancellationToken);
        var attempt = new ScriptedAttempt(deployment, failure);
        Attempts.Add(attempt);
        return attempt;
    }

    internal sealed record Call(string Deployment, DateTimeOffset At, TimeSpan FirstByteTimeout);

    internal sealed class ScriptedAttempt(ModelDeployment deployment, UpstreamFailure? failure) : Attempt(deployment, failure)
    {
        public bool Disposed { get; private set; }

        public override ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class CountingSecrets : ISecretStore
    {
        public int Refreshes { get; private set; }

        /// <summary>What a refresh finds; a value other than <c>sk-test</c> is a rotated key.</summary>
        public string? RefreshedValue { get; set; } = "sk-test-rotated";

        public ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult<string?>("sk-test");

        public ValueTask<string?> RefreshAsync(string name, CancellationToken cancellationToken)
        {
            Refreshes++;
            return ValueTask.FromResult(RefreshedValue);
        }
    }
}
