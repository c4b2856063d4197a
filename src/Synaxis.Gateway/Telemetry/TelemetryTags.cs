namespace Synaxis.Gateway.Telemetry;

/// <summary>
/// Attribute names of spans and metrics: the OpenTelemetry GenAI semantic conventions where one fits, <c>synaxis.*</c>
/// for the gateway's own. None of them ever carries a key, a secret or request content.
/// </summary>
public static class TelemetryTags
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";
    public const string StatusCode = "http.response.status_code";

    public const string RequestId = "synaxis.request_id";
    public const string Deployment = "synaxis.deployment";
    /// <summary>The caller's key id (<c>key_…</c>, <c>configured</c> or <c>anonymous</c>), never the key.</summary>
    public const string KeyId = "synaxis.key_id";
    public const string StatusClass = "synaxis.status_class";
    public const string Streamed = "synaxis.streamed";
    public const string Aborted = "synaxis.aborted";
    public const string TimeToFirstTokenMs = "synaxis.ttft_ms";
    public const string Cost = "synaxis.cost";
    public const string UsageEstimated = "synaxis.usage_estimated";
    public const string Attempts = "synaxis.attempts";
    public const string Fallbacks = "synaxis.fallbacks";
    public const string RetryKind = "synaxis.retry.kind";
    public const string AttemptOutcome = "synaxis.attempt.outcome";
    public const string CircuitState = "synaxis.circuit.state";

    /// <summary>
    /// The provider as the GenAI conventions name it (<c>gen_ai.provider.name</c>); OpenAI-compatible servers are
    /// <c>openai</c> because that is the API they speak.
    /// </summary>
    public static string Provider(string provider) => provider switch
    {
        "azure-openai" => "azure.ai.openai",
        "gemini" => "gcp.gemini",
        "mock" => "synaxis.mock",
        _ => provider,
    };

    /// <summary><c>2xx</c>, <c>4xx</c>, <c>5xx</c>: few values, so a requests counter keeps few series.</summary>
    public static string StatusClassOf(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };
}
