using Polly.CircuitBreaker;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using static Synaxis.Gateway.Tests.Routing.RoutingHarness;

namespace Synaxis.Gateway.Tests.Routing;

/// <summary>Retry, fallback, cooldown, circuit breaking and key refresh, on fake time.</summary>
public sealed class DeploymentRouterTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    private static RoutingOptions Options(int maxAttempts = 3) => new()
    {
        MaxAttempts = maxAttempts,
        RetryDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        TimeBudget = TimeSpan.FromMinutes(1),
        CircuitBreaker = new CircuitBreakerOptions { FailureRatio = 0.5, MinimumThroughput = 2, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(5) },
    };

    [Fact]
    public async Task RetryableFailure_MovesToAnotherDeployment_WithoutWaiting()
    {
        var harness = new RoutingHarness(Options(), Deployment("a"), Deployment("b"));
        harness.Script = (name, n) => Task.FromResult<UpstreamFailure?>(harness.Calls.Count == 1 ? Failure(UpstreamFailureKind.ServerError, 500) : null);

        var result = await harness.RouteAsync(); // no time passes: completes at once

        Assert.Null(result.Failure);
        Assert.Equal(2, harness.Calls.Count);
        Assert.NotEqual(harness.Calls.First().Deployment, harness.Calls.Last().Deployment);
        Assert.Equal(harness.Calls.First().At, harness.Calls.Last().At);
        Assert.Equal(result.Attempt!.Deployment.Name, harness.Calls.Last().Deployment);
    }

    [Theory]
    [InlineData(UpstreamFailureKind.Rejected, 400)]
    [InlineData(UpstreamFailureKind.Rejected, 404)]
    [InlineData(UpstreamFailureKind.StreamError, null)]
    public async Task FailureTheRequestCaused_IsNeitherRetriedNorSentElsewhere(UpstreamFailureKind kind, int? status)
    {
        var harness = new RoutingHarness(Options(), Deployment("a"), Deployment("b"));
        harness.Script = (_, _) => Task.FromResult<UpstreamFailure?>(Failure(kind, status));

        var result = await harness.RouteAsync();

        Assert.Equal(kind, result.Failure!.Kind);
        Assert.Single(harness.Calls);
    }

    [Fact]
    public async Task OnlyDeployment_IsCalledAgain_AfterABackoff()
    {
        var harness = new RoutingHarness(Options(), Deployment("a"));
        harness.Script = (_, n) => Task.FromResult<UpstreamFailure?>(n == 0 ? Failure(UpstreamFailureKind.Reset) : null);

        var result = await harness.DriveAsync(harness.RouteAsync(), Step);

        Assert.Null(result.Failure);
        var (first, second) = (harness.Calls.First(), harness.Calls.Last());
        Assert.InRange(second.At - first.At, Step, Options().MaxRetryDelay + Step);
    }

    [Fact]
    public async Task ShortRetryAfter_IsWaitedOut_ThenTheSameDeploymentIsCalledAgain()
    {
        var harness = new RoutingHarness(Options(), Deployment("a"));
        harness.Script = (_, n) => Task.FromResult<UpstreamFailure?>(n == 0 ? Failure(UpstreamFailureKind.RateLimited, 429, TimeSpan.FromSeconds(1)) : null);

        var route = harness.RouteAsync();
        await EventuallyAsync(() => harness.Calls.Count == 1);
        harness.Time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(50);
        Assert.Single(harness.Calls); // not a moment before the upstream asked
        harness.Time.Advance(TimeSpan.FromMilliseconds(20));
        var result = await route.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(result.Failure);
        Assert.InRange(harness.Calls.Last().At - harness.Calls.First().At, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1020));
    }

    [Fact]
    public async Task LongRetryAfter_IsTheClientsToWait_AndKeepsTheDeploymentCoolingDown()
    {
        var harness = new RoutingHarness(Options(), Deployment("a"));
        harness.Script = (_, _) => Task.FromResult<UpstreamFailure?>(Failure(UpstreamFailureKind.RateLimited, 429, TimeSpan.FromSeconds(30)));

        var first = await harness.RouteAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        var second = await harness.RouteAsync();

        Assert.Equal(TimeSpan.FromSeconds(30), first.Failure!.RetryAfter);
        Assert.Null(second.Attempt);
        Assert.Equal(UpstreamFailureKind.RateLimited, second.Failure!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(20), second.Failure.RetryAfter);
        Assert.Single(harness.Calls);

        harness.Time.Advance(TimeSpan.FromSeconds(20));
        await harness.RouteAsync();
        Assert.Equal(2, harness.Calls.Count);
    }

    [Fact]
    public async Task CoolingDeployment_GivesItsShareToTheOthers()
    {
        var harness = new RoutingHarness(Options(), Deployment("a"), Deployment("b"));
        harness.Script = (name, _) => Task.FromResult<UpstreamFailure?>(name == "a" ? Failure(UpstreamFailureKind.RateLimited, 429, TimeSpan.FromMinutes(1)) : null);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("b", (await harness.RouteAsync()).Attempt!.Deployment.Name);
        }

        Assert.Single(harness.Calls, c => c.Deployment == "a");
    }

    [Fact]
    public async Task MaxAttempts_BoundsTheCalls()
    {
        var harness = new RoutingHarness(Options(maxAttempts: 4), Deployment("a"), Deployment("b"));
        harness.Script = (_, _) => Task.FromResult<UpstreamFailure?>(Failure(UpstreamFailureKind.ServerError, 503));

        var result = await harness.DriveAsync(harness.RouteAsync(), Step);

        Assert.Equal(UpstreamFailureKind.ServerError, result.Failure!.Kind);
        Assert.Equal(4, harness.Calls.Count);
    }

    [Fact]
    public async Task TimeBudget_ShortensTheLastAttemptsWait_AndStopsRetries()
    {
        var options = Options();
        options.TimeBudget = TimeSpan.FromSeconds(1);
        var harness = new RoutingHarness(options, Deployment("a"), Deployment("b"));
        harness.Script = (_, _) =>
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(800)); // a slow failure
            return Task.FromResult<UpstreamFailure?>(Failure(UpstreamFailureKind.ServerError, 500));
        };

        var result = await harness.RouteAsync();

        Assert.NotNull(result.Failure);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200)], harness.Calls.Select(c => c.FirstByteTimeout));
    }

    [Fact]
    public async Task Breaker_Opens_ThenTheModelIsUnavailable_UntilTheBreakEnds_ThenAProbeClosesIt()
    {
        var harness = new RoutingHarness(Options(maxAttempts: 1), Deployment("a"));
        var healthy = false;
        harness.Script = (_, _) => Task.FromResult<UpstreamFailure?>(healthy ? null : Failure(UpstreamFailureKind.ServerError, 500));

        await harness.RouteAsync();
        await harness.RouteAsync();
        var refused = await harness.RouteAsync();

        Assert.Equal(CircuitState.Open, harness.Health.CircuitOf("a"));
        Assert.Equal(2, harness.Calls.Count);
        Assert.Equal(UpstreamFailureKind.Unavailable, refused.Failure!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Failure.RetryAfter);

        healthy = true;
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        var probe = await harness.RouteAsync();

        Assert.Null(probe.Failure);
        Assert.Equal(CircuitState.Closed, harness.Health.CircuitOf("a"));
    }

    [Fact]
    public async Task RateLimits_DoNotOpenTheBreaker()
    {
        var harness = new RoutingHarness(Options(maxAttempts: 1), Deployment("a"));
        harness.Script = (_, _) => Task.FromResult<UpstreamFailure?>(Failure(UpstreamFailureKind.RateLimited, 429, TimeSpan.Zero));

        for (var i = 0; i < 5; i++)
        {
            await harness.RouteAsync();
        }

        Assert.Equal(CircuitState.Closed, harness.Health.CircuitOf("a"));
        Assert.Equal(5, harness.Calls.Count);
    }

    [Fact]
    public async Task HalfOpenBreaker_LetsOneProbeThrough_WhileOtherCallsGoElsewhere()
    {
        var harness = new RoutingHarness(Options(maxAttempts: 1), Deployment("a"), Deployment("b", priority: 2));
        var probe = new TaskCompletionSource<UpstreamFailure?>();
        var aCalls = 0;
        harness.Script = (name, _) => name != "a"
            ? Task.FromResult<UpstreamFailure?>(null)
            : ++aCalls <= 2 ? Task.FromResult<UpstreamFailure?>(Failure(UpstreamFailureKind.ServerError, 500)) : probe.Task;
        await harness.RouteAsync();
        await harness.RouteAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        var probing = harness.RouteAsync();
        await EventuallyAsync(() => aCalls == 3);
        var meanwhile = await harness.RouteAsync();
        probe.SetResult(null);
        var probed = await probing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("b", meanwhile.Attempt!.Deployment.Name);
        Assert.Equal("a", probed.Attempt!.Deployment.Name);
        Assert.Equal(CircuitState.Closed, harness.Health.CircuitOf("a"));
    }

    [Fact]
    public async Task Refused401_OnAStoredKey_RefreshesTheSecretOnce_AndCallsTheSameDeploymentAgain()
    {
        var harness = new RoutingHarness(Options(), Deployment("a", apiKeySecret: "openai-api-key"), Deployment("b", priority: 2));
        harness.Script = (_, n) => Task.FromResult<UpstreamFailure?>(n == 0 ? Failure(UpstreamFailureKind.AuthenticationFailed, 401) : null);

        var result = await harness.RouteAsync();

        Assert.Null(result.Failure);
        Assert.Equal(["a", "a"], harness.Calls.Select(c => c.Deployment));
        Assert.Equal(1, harness.Secrets.Refreshes);
    }

    [Fact]
    public async Task Refused401_AfterTheRefresh_GoesToAnotherDeployment_NeverBackToThisOne()
    {
        var harness = new RoutingHarness(Options(), Deployment("a", apiKeySecret: "openai-api-key"), Deployment("b", priority: 2));
        harness.Script = (name, _) => Task.FromResult<UpstreamFailure?>(name == "a" ? Failure(UpstreamFailureKind.AuthenticationFailed, 401) : Failure(UpstreamFailureKind.ServerError, 500));

        var result = await harness.DriveAsync(harness.RouteAsync(), Step);

        Assert.Equal(["a", "a", "b", "b"], harness.Calls.Select(c => c.Deployment));
        Assert.Equal(1, harness.Secrets.Refreshes);
        Assert.Equal(UpstreamFailureKind.ServerError, result.Failure!.Kind);
    }

    [Fact]
    public async Task Refused401_WithTheSecretUnchanged_IsNotRepeated_ButFallsBack()
    {
        var harness = new RoutingHarness(Options(), Deployment("a", apiKeySecret: "openai-api-key"), Deployment("b", priority: 2));
        harness.Secrets.RefreshedValue = "sk-test"; // the store has nothing newer
        harness.Script = (name, _) => Task.FromResult<UpstreamFailure?>(name == "a" ? Failure(UpstreamFailureKind.AuthenticationFailed, 401) : null);

        var result = await harness.RouteAsync();

        Assert.Null(result.Failure);
        Assert.Equal(["a", "b"], harness.Calls.Select(c => c.Deployment));
        Assert.Equal(1, harness.Secrets.Refreshes);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(null)] // the secret is missing altogether
    public async Task OtherCredentialFailures_AreNotRefreshed(int? status)
    {
        var harness = new RoutingHarness(Options(), Deployment("a", apiKeySecret: "openai-api-key"));
        harness.Script = (_, _) => Task.FromResult<UpstreamFailure?>(Failure(UpstreamFailureKind.AuthenticationFailed, status));

        var result = await harness.RouteAsync();

        Assert.Equal(UpstreamFailureKind.AuthenticationFailed, result.Failure!.Kind);
        Assert.Single(harness.Calls);
        Assert.Equal(0, harness.Secrets.Refreshes);
    }

    [Fact]
    public async Task FailedAttempts_AreDisposed_TheOneHandedBackIsNot()
    {
        var harness = new RoutingHarness(Options(), Deployment("a"), Deployment("b"), Deployment("c"));
        harness.Script = (_, _) => Task.FromResult<UpstreamFailure?>(harness.Calls.Count < 3 ? Failure(UpstreamFailureKind.Reset) : null);

        var result = await harness.RouteAsync();

        Assert.Equal(3, harness.Attempts.Count);
        Assert.True(harness.Attempts[0].Disposed && harness.Attempts[1].Disposed);
        Assert.Same(harness.Attempts[2], result.Attempt);
        Assert.False(result.Attempt!.Disposed);
    }

    [Fact]
    public async Task ClientLeaving_DuringABackoff_EndsRoutingAtOnce_AndReleasesTheLastAttempt()
    {
        var harness = new RoutingHarness(Options(), Deployment("a"));
        harness.Script = (_, _) => Task.FromResult<UpstreamFailure?>(Failure(UpstreamFailureKind.ServerError, 500));
        using var client = new CancellationTokenSource();

        var route = harness.RouteAsync(client.Token);
        await EventuallyAsync(() => harness.Calls.Count == 1);
        await client.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => route.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(harness.Attempts.Single().Disposed);
    }
}
