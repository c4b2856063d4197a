namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>A request Gemini cannot be asked: a 400 naming the field, decided before any upstream call.</summary>
internal static class GeminiInputError
{
    public static UpstreamFailure Unsupported(string param, string message) => new(UpstreamFailureKind.Rejected, message)
    {
        UpstreamStatus = 400,
        Type = "invalid_request_error",
        Param = param,
        Code = "unsupported_value",
    };

    public static UpstreamFailure Invalid(string param, string message) => new(UpstreamFailureKind.Rejected, message)
    {
        UpstreamStatus = 400,
        Type = "invalid_request_error",
        Param = param,
        Code = "invalid_value",
    };
}
