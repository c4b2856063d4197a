using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Tests.Routing;

/// <summary>Which failures go elsewhere, which are retried in place, and which count against a deployment's health.</summary>
public sealed class FailurePolicyTests
{
    [Theory]
    //          kind                                          status type                 fallsBack sameAgain health
    [InlineData(UpstreamFailureKind.ConnectFailed, null, null, true, true, true)]
    [InlineData(UpstreamFailureKind.TimedOut, null, null, true, true, true)]
    [InlineData(UpstreamFailureKind.Reset, null, null, true, true, true)]
    [InlineData(UpstreamFailureKind.ProtocolError, null, null, true, true, true)]
    [InlineData(UpstreamFailureKind.ServerError, 500, null, true, true, true)]
    [InlineData(UpstreamFailureKind.ServerError, 503, null, true, true, true)]
    [InlineData(UpstreamFailureKind.RateLimited, 429, null, true, true, false)]
    [InlineData(UpstreamFailureKind.AuthenticationFailed, 401, null, true, false, true)]
    [InlineData(UpstreamFailureKind.AuthenticationFailed, 403, null, true, false, true)]
    [InlineData(UpstreamFailureKind.AuthenticationFailed, null, null, true, false, false)]
    [InlineData(UpstreamFailureKind.Rejected, 400, "invalid_request_error", false, false, false)]
    [InlineData(UpstreamFailureKind.Rejected, 404, "invalid_request_error", false, false, false)]
    [InlineData(UpstreamFailureKind.StreamError, null, "overloaded_error", true, true, true)]
    [InlineData(UpstreamFailureKind.StreamError, null, "server_error", true, true, true)]
    [InlineData(UpstreamFailureKind.StreamError, null, "invalid_request_error", false, false, false)]
    [InlineData(UpstreamFailureKind.StreamError, null, "unavailable", true, true, true)]
    [InlineData(UpstreamFailureKind.StreamError, null, null, false, false, false)]
    public void Failure_IsRoutedAsDocumented(UpstreamFailureKind kind, int? status, string? type, bool fallsBack, bool sameAgain, bool countsAgainstHealth)
    {
        var failure = new UpstreamFailure(kind, "m") { UpstreamStatus = status, Type = type };
        var asCode = failure with { Type = null, Code = type }; // Anthropic and Gemini put the kind of error in the code

        Assert.Equal(fallsBack, FailurePolicy.FallsBack(asCode));

        Assert.Equal(fallsBack, FailurePolicy.FallsBack(failure));
        Assert.Equal(sameAgain, FailurePolicy.RetriesSameDeployment(failure));
        Assert.Equal(countsAgainstHealth, FailurePolicy.CountsAgainstHealth(failure));
    }
}
