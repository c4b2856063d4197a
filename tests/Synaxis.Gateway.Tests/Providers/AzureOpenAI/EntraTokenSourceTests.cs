using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Synaxis.Gateway.Providers.AzureOpenAI;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Tests.Providers.AzureOpenAI;

/// <summary>Entra ID tokens are fetched once and reused until shortly before they expire; a failed refresh keeps a token that still works.</summary>
public sealed class EntraTokenSourceTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly Mock<TokenCredential> _credential = new();
    private int _issued;

    public EntraTokenSourceTests()
    {
        _credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new AccessToken($"token-{++_issued}", _time.GetUtcNow().AddHours(1)));
    }

    [Fact]
    public async Task Token_IsReused_UntilFiveMinutesBeforeItExpires()
    {
        using var tokens = Source();

        Assert.Equal("token-1", await tokens.GetTokenAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal("token-1", await tokens.GetTokenAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("token-2", await tokens.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Token_IsRefreshedWhenTheCredentialSaysSo()
    {
        _credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new AccessToken($"token-{++_issued}", _time.GetUtcNow().AddHours(24), _time.GetUtcNow().AddHours(12)));
        using var tokens = Source();

        await tokens.GetTokenAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(12));

        Assert.Equal("token-2", await tokens.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentCallers_ShareOneFetch()
    {
        var release = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .Returns(() => new ValueTask<AccessToken>(release.Task));
        using var tokens = Source();

        var callers = Enumerable.Range(0, 10).Select(_ => tokens.GetTokenAsync(CancellationToken.None).AsTask()).ToList();
        release.SetResult(new AccessToken("shared", Start.AddHours(1)));

        Assert.All(await Task.WhenAll(callers), token => Assert.Equal("shared", token));
        _credential.Verify(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task FailedRefresh_KeepsATokenThatHasNotExpired()
    {
        using var tokens = Source();
        await tokens.GetTokenAsync(CancellationToken.None);
        _credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AuthenticationFailedException("The managed identity endpoint is busy."));
        _time.Advance(TimeSpan.FromMinutes(57));

        Assert.Equal("token-1", await tokens.GetTokenAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Null(await tokens.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task NoCredential_GivesNoToken()
    {
        _credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token from the included credentials."));
        using var tokens = Source();

        Assert.Null(await tokens.GetTokenAsync(CancellationToken.None));
    }

    private EntraTokenSource Source()
    {
        var factory = new Mock<IAzureCredentialFactory>();
        factory.Setup(f => f.Create()).Returns(_credential.Object);
        return new EntraTokenSource(factory.Object, _time, NullLogger<EntraTokenSource>.Instance);
    }
}
