using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Synaxis.Gateway.Telemetry;

namespace Synaxis.Gateway.Tests.Telemetry;

public sealed class TelemetrySettingsTests
{
    private static TelemetrySettings From(params (string Key, string? Value)[] settings) =>
        TelemetrySettings.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build());

    [Fact]
    public void NoSettings_ExportNothing()
    {
        var settings = From((TelemetrySettings.ConnectionStringSetting, " "));

        Assert.False(settings.ExportsAnything);
        Assert.Null(settings.IngestionCredential());
    }

    [Fact]
    public void ConnectionString_ExportsToApplicationInsights_OtlpEndpoint_ToOtlp()
    {
        var settings = From((TelemetrySettings.ConnectionStringSetting, "InstrumentationKey=00000000-0000-0000-0000-000000000000"), (TelemetrySettings.OtlpEndpointSetting, "http://localhost:4317"));

        Assert.True(settings.ExportsToApplicationInsights);
        Assert.True(settings.ExportsToOtlp);
    }

    [Theory]
    [InlineData("ClientId=5f3c1a8e-0000-4000-8000-000000000001;Authorization=AAD")]
    [InlineData("Authorization=AAD")]
    [InlineData(" authorization = aad ; clientid = 5f3c1a8e-0000-4000-8000-000000000001 ")]
    public void AadAuthenticationString_GivesAManagedIdentityCredential(string authentication)
    {
        var settings = From((TelemetrySettings.ConnectionStringSetting, "InstrumentationKey=x"), (TelemetrySettings.AuthenticationStringSetting, authentication));

        Assert.IsType<ManagedIdentityCredential>(settings.IngestionCredential());
    }

    [Fact]
    public void AuthenticationStringWithoutAad_GivesNoCredential()
    {
        var settings = From((TelemetrySettings.ConnectionStringSetting, "InstrumentationKey=x"), (TelemetrySettings.AuthenticationStringSetting, "ClientId=abc"));

        Assert.Null(settings.IngestionCredential());
    }
}
