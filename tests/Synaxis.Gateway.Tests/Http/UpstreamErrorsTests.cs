using Synaxis.Gateway.Http;
using Synaxis.Gateway.Providers;

namespace Synaxis.Gateway.Tests.Http;

/// <summary>
/// What a client is told about an upstream failure: the right status, and the upstream's own words only
/// where the client's request caused the error.
/// </summary>
public sealed class UpstreamErrorsTests
{
    private const string UpstreamMessage = "Incorrect API key provided: sk-proj-****abcd. Ask org-secret123 at upstream.internal:8443.";

    [Theory]
    [InlineData(UpstreamFailureKind.ConnectFailed, 502, "upstream_unreachable")]
    [InlineData(UpstreamFailureKind.TimedOut, 504, "upstream_timeout")]
    [InlineData(UpstreamFailureKind.RateLimited, 429, "rate_limit_exceeded")]
    [InlineData(UpstreamFailureKind.AuthenticationFailed, 502, "upstream_authentication_failed")]
    [InlineData(UpstreamFailureKind.Rejected, 400, null)]
    [InlineData(UpstreamFailureKind.ServerError, 502, "upstream_error")]
    [InlineData(UpstreamFailureKind.Reset, 502, "upstream_reset")]
    [InlineData(UpstreamFailureKind.ProtocolError, 502, "upstream_protocol_error")]
    [InlineData(UpstreamFailureKind.StreamError, 502, "upstream_error")]
    [InlineData(UpstreamFailureKind.Unavailable, 503, "upstream_unavailable")]
    public void EveryKind_MapsToItsStatus(UpstreamFailureKind kind, int status, string? code)
    {
        var error = UpstreamErrors.ToApiError(new UpstreamFailure(kind, UpstreamMessage) { UpstreamStatus = kind == UpstreamFailureKind.Rejected ? null : 500 }, "gpt-4");

        Assert.Equal(status, error.Status);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void EveryKind_IsMapped()
    {
        Assert.Equal(10, Enum.GetValues<UpstreamFailureKind>().Length); // a new kind needs a row above
    }

    [Theory]
    [InlineData(UpstreamFailureKind.ConnectFailed)]
    [InlineData(UpstreamFailureKind.TimedOut)]
    [InlineData(UpstreamFailureKind.RateLimited)]
    [InlineData(UpstreamFailureKind.AuthenticationFailed)]
    [InlineData(UpstreamFailureKind.ServerError)]
    [InlineData(UpstreamFailureKind.Reset)]
    [InlineData(UpstreamFailureKind.ProtocolError)]
    [InlineData(UpstreamFailureKind.Unavailable)]
    public void FailuresTheClientDidNotCause_DoNotRepeatTheUpstreamsMessage(UpstreamFailureKind kind)
    {
        var error = UpstreamErrors.ToApiError(new UpstreamFailure(kind, UpstreamMessage) { UpstreamStatus = 401, Code = "invalid_api_key", Param = "key" }, "gpt-4");

        Assert.DoesNotContain("sk-proj", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("upstream.internal", error.Message, StringComparison.Ordinal);
        Assert.Contains("'gpt-4'", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Param);
        Assert.NotEqual("invalid_api_key", error.Code);
    }

    [Fact]
    public void RefusedCredentials_AreTheGatewaysProblem_NotTheClients()
    {
        var error = UpstreamErrors.ToApiError(new UpstreamFailure(UpstreamFailureKind.AuthenticationFailed, UpstreamMessage) { UpstreamStatus = 401 }, "gpt-4");

        Assert.Equal(502, error.Status); // a 401 would tell the client its own key is wrong
        Assert.Equal("upstream_error", error.Type);
        Assert.Equal("The gateway's credentials for the provider serving 'gpt-4' were refused.", error.Message);
    }

    [Fact]
    public void MissingSecret_IsAServerError_ThatSaysWhichSecret()
    {
        var error = UpstreamErrors.ToApiError(new UpstreamFailure(UpstreamFailureKind.AuthenticationFailed, "The secret 'OPENAI_API_KEY' that model 'gpt-4' needs is not configured."), "gpt-4");

        Assert.Equal(500, error.Status);
        Assert.Equal("upstream_not_configured", error.Code);
        Assert.Contains("'OPENAI_API_KEY'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejected_PassesOnTheUpstreamsStatusAndExplanation()
    {
        var failure = new UpstreamFailure(UpstreamFailureKind.Rejected, "Unsupported parameter: 'stop' is not supported with this model.")
        {
            UpstreamStatus = 422,
            Type = "invalid_request_error",
            Param = "stop",
            Code = "unsupported_parameter",
        };

        var error = UpstreamErrors.ToApiError(failure, "gpt-4");

        Assert.Equal((422, failure.Message, "invalid_request_error", "stop", "unsupported_parameter"), (error.Status, error.Message, error.Type, error.Param, error.Code));
    }

    [Fact]
    public void Rejected_WithoutType_IsAnInvalidRequestError()
    {
        var error = UpstreamErrors.ToApiError(new UpstreamFailure(UpstreamFailureKind.Rejected, "no") { UpstreamStatus = 400 }, "gpt-4");

        Assert.Equal("invalid_request_error", error.Type);
    }

    [Fact]
    public void StreamError_PassesOnTheUpstreamsExplanation()
    {
        var error = UpstreamErrors.ToApiError(new UpstreamFailure(UpstreamFailureKind.StreamError, "Token limit reached") { Code = "400" }, "gpt-4");

        Assert.Equal((502, "Token limit reached", "upstream_error", "400"), (error.Status, error.Message, error.Type, error.Code));
    }

    [Fact]
    public void RateLimited_CarriesTheUpstreamsWait()
    {
        var error = UpstreamErrors.ToApiError(new UpstreamFailure(UpstreamFailureKind.RateLimited, "slow down") { RetryAfter = TimeSpan.FromMilliseconds(579) }, "gpt-4");

        Assert.Equal(TimeSpan.FromMilliseconds(579), error.RetryAfter);
        Assert.Equal("rate_limit_error", error.Type);
    }

    [Fact]
    public void RateLimited_WithoutAWait_AsksForOneSecond()
    {
        var error = UpstreamErrors.ToApiError(new UpstreamFailure(UpstreamFailureKind.RateLimited, "slow down"), "gpt-4");

        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
    }

    [Fact]
    public void InsufficientQuota_KeepsItsCode_SoClientsDoNotRetry()
    {
        var error = UpstreamErrors.ToApiError(new UpstreamFailure(UpstreamFailureKind.RateLimited, "quota") { Code = "insufficient_quota" }, "gpt-4");

        Assert.Equal("insufficient_quota", error.Code);
    }

    [Fact]
    public void ServerError_NamesTheUpstreamStatus()
    {
        var error = UpstreamErrors.ToApiError(new UpstreamFailure(UpstreamFailureKind.ServerError, "x") { UpstreamStatus = 503 }, "gpt-4");

        Assert.Equal("The provider serving 'gpt-4' failed with HTTP 503.", error.Message);
    }

    [Fact]
    public void Overloaded529_Is503WithTheUpstreamsWaitOrASecond()
    {
        var waited = UpstreamErrors.ToApiError(new UpstreamFailure(UpstreamFailureKind.ServerError, "Overloaded") { UpstreamStatus = 529, RetryAfter = TimeSpan.FromSeconds(4) }, "claude");
        var unsaid = UpstreamErrors.ToApiError(new UpstreamFailure(UpstreamFailureKind.ServerError, "Overloaded") { UpstreamStatus = 529 }, "claude");

        Assert.Equal((503, "upstream_overloaded", "server_error"), (waited.Status, waited.Code, waited.Type));
        Assert.Equal(TimeSpan.FromSeconds(4), waited.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), unsaid.RetryAfter);
    }
}
