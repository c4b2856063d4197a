using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Synaxis.Gateway.Billing.Storage;
using Synaxis.Gateway.Health;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Secrets;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Health;

public sealed class BillingStorageHealthCheckTests
{
    [Fact]
    public async Task Check_WithinTheCacheInterval_AnswersFromTheLastRead_AndReadsAgainAfterIt()
    {
        var azurite = await Azurite.StartAsync();
        var time = new FakeTimeProvider();
        using var services = Services(azurite.ConnectionString);
        var check = new BillingStorageHealthCheck(services, services.GetRequiredService<IOptions<GatewayOptions>>(), time);

        var up = await CheckAsync(check);
        await azurite.DisposeAsync();
        var cached = await CheckAsync(check);
        time.Advance(BillingStorageHealthCheck.CacheDuration);
        var down = await CheckAsync(check);

        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal(HealthStatus.Healthy, cached.Status); // storage is gone, but no probe reaches it within the interval
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Equal("unreachable", down.Description);
    }

    [Fact]
    public async Task Check_WithoutBillingStorage_IsHealthy_AndTouchesNothing()
    {
        var options = Options.Create(new GatewayOptions());
        var check = new BillingStorageHealthCheck(new ServiceCollection().BuildServiceProvider(), options, TimeProvider.System);

        var result = await CheckAsync(check);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("not configured", result.Description);
    }

    private static Task<HealthCheckResult> CheckAsync(BillingStorageHealthCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext()).WaitAsync(TimeSpan.FromSeconds(30));

    private static ServiceProvider Services(string connectionString)
    {
        var options = Options.Create(new GatewayOptions { Billing = { ConnectionString = connectionString, TablePrefix = Azurite.NewTablePrefix() } });
        return new ServiceCollection()
            .AddSingleton(options)
            .AddSingleton(new BillingTables(options, Mock.Of<IAzureCredentialFactory>()))
            .BuildServiceProvider();
    }
}
