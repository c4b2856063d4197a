using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Gateway.Tests.Fakes;

/// <summary>What every provider harness needs: a secret store holding one key, and a call parsed from request JSON.</summary>
internal static class ProviderFakes
{
    /// <summary>A configuration-backed store holding <paramref name="value"/> under <paramref name="name"/>, or nothing when it is null.</summary>
    public static ConfigurationSecretStore Secrets(string name, string? value)
    {
        var settings = new Dictionary<string, string?>();
        if (value is not null)
        {
            settings[name] = value;
        }

        return new ConfigurationSecretStore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    public static ProviderCall Call(string requestJson, ModelDeployment deployment, string requestId) =>
        new(JsonSerializer.Deserialize(requestJson, GatewayJsonContext.Wire.ChatCompletionRequest)!, deployment, requestId);
}
