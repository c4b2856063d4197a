using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace Synaxis.Gateway.Telemetry;

/// <summary>
/// Where the hosts send telemetry, read from the settings OpenTelemetry and Application Insights define: Application
/// Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, an OTLP collector when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, both, or (neither set) nowhere, and then no exporter runs at all.
/// </summary>
public sealed class TelemetrySettings
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private TelemetrySettings(string? connectionString, string? authentication, string? otlpEndpoint)
    {
        ApplicationInsightsConnectionString = connectionString;
        AuthenticationString = authentication;
        OtlpEndpoint = otlpEndpoint;
    }

    /// <summary>The Application Insights connection string (an ingestion address, not a secret: with local auth off, writing needs an Entra token).</summary>
    public string? ApplicationInsightsConnectionString { get; }

    public string? OtlpEndpoint { get; }

    private string? AuthenticationString { get; }

    public bool ExportsToApplicationInsights => ApplicationInsightsConnectionString is not null;

    public bool ExportsToOtlp => OtlpEndpoint is not null;

    public bool ExportsAnything => ExportsToApplicationInsights || ExportsToOtlp;

    public static TelemetrySettings From(IConfiguration configuration) => new(
        NullIfBlank(configuration[ConnectionStringSetting]),
        NullIfBlank(configuration[AuthenticationStringSetting]),
        NullIfBlank(configuration[OtlpEndpointSetting]));

    /// <summary>
    /// The credential for Entra-authenticated ingestion that <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>
    /// (<c>ClientId=&lt;guid&gt;;Authorization=AAD</c>, as the Functions host reads it) asks for: the user-assigned identity it
    /// names, or the system-assigned one without a client id; null when ingestion takes the connection string alone. The
    /// Azure Monitor exporter does not read this setting itself.
    /// </summary>
    public TokenCredential? IngestionCredential()
    {
        if (AuthenticationString is null)
        {
            return null;
        }

        string? clientId = null;
        var aad = false;
        foreach (var part in AuthenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = part.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (part[..eq].Trim(), part[(eq + 1)..].Trim()) : (part, "");
            if (key.Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            {
                clientId = value;
            }
            else if (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                aad = value.Equals("AAD", StringComparison.OrdinalIgnoreCase);
            }
        }

        if (!aad)
        {
            return null;
        }

        return new ManagedIdentityCredential(string.IsNullOrEmpty(clientId)
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(clientId));
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
