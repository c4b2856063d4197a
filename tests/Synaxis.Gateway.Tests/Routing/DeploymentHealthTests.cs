using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Tests.Routing;

public sealed class DeploymentHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static DeploymentHealth Health() => new(new ModelDeployment
    {
        Name = "a", Provider = "mock", UpstreamModel = "m", OwnedBy = "o", FirstByteTimeout = TimeSpan.FromSeconds(1), IdleTimeout = TimeSpan.FromSeconds(1),
    });

    [Fact]
    public void NewDeployment_IsAvailable()
    {
        Assert.Equal(TimeSpan.Zero, Health().TimeUntilAvailable(Now, out var rateLimited));
        Assert.False(rateLimited);
    }

    [Fact]
    public void CoolDown_MakesItUnavailableUntilThen_ForARateLimit()
    {
        var health = Health();
        health.CoolDown(Now.AddSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), health.TimeUntilAvailable(Now, out var rateLimited));
        Assert.True(rateLimited);
        Assert.Equal(TimeSpan.Zero, health.TimeUntilAvailable(Now.AddSeconds(7), out _));
    }

    [Fact]
    public void CoolDown_IsNeverShortenedByALaterShorterOne()
    {
        var health = Health();
        health.CoolDown(Now.AddSeconds(30));
        health.CoolDown(Now.AddSeconds(2));

        Assert.Equal(TimeSpan.FromSeconds(30), health.TimeUntilAvailable(Now, out _));
    }
}
