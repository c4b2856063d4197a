using System.Text.Json.Nodes;
using Synaxis.Infra.Tests.Bicep;

namespace Synaxis.Infra.Tests;

/// <summary>
/// The compiled templates and two predicted deployments, computed once: <see cref="Default"/> is what
/// a plain <c>azd up</c> deploys, <see cref="Customised"/> sets every optional parameter (provider keys,
/// CORS origins, extra settings, purge protection, an Azure OpenAI account in another subscription) and
/// has no deploying principal.
/// </summary>
public sealed class InfraFixture
{
    public const string PrincipalId = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

    /// <summary>An Azure OpenAI account outside the deployment's subscription and resource group.</summary>
    public const string AzureOpenAiResourceId =
        "/subscriptions/2e4f6a8c-0000-4000-8000-0000000a0a1e/resourceGroups/rg-shared-ai/providers/Microsoft.CognitiveServices/accounts/aoai-shared";

    /// <summary>Values given for the secure parameters; none may appear anywhere in a prediction.</summary>
    public static readonly IReadOnlyDictionary<string, string> SecretSentinels = new Dictionary<string, string>
    {
        ["VAULT_OPENAI_API_KEY"] = "sk-sentinel-openai-4f0c",
        ["VAULT_ANTHROPIC_API_KEY"] = "ant-sentinel-anthropic-91d2",
        ["VAULT_GEMINI_API_KEY"] = "sentinel-gemini-7b3e",
        ["VAULT_AZURE_OPENAI_API_KEY"] = "sentinel-azure-openai-2a6f",
        ["VAULT_SYNAXIS_ADMIN_KEY"] = "sk-syn-sentinel-admin-c5e8",
        ["VAULT_SYNAXIS_CLIENT_KEYS"] = "sk-syn-sentinel-client-1,sk-syn-sentinel-client-2",
    };

    public static readonly string[] CustomCorsOrigins = ["https://chat.example.com", "http://localhost:5173"];

    private readonly Lazy<CompiledInfra> compiled = new(CompiledInfra.Compile);
    private readonly Lazy<Deployment> byDefault = new(PredictDefault);
    private readonly Lazy<Deployment> customised = new(PredictCustomised);

    internal CompiledInfra Compiled => compiled.Value;

    internal Deployment Default => byDefault.Value;

    internal Deployment Customised => customised.Value;

    private static Dictionary<string, string> AzdEnvironment() => new()
    {
        ["AZURE_ENV_NAME"] = "synaxis-ci",
        ["AZURE_LOCATION"] = "swedencentral",
    };

    private static Deployment PredictDefault()
    {
        var environment = AzdEnvironment();
        environment["AZURE_PRINCIPAL_ID"] = PrincipalId;
        environment["AZURE_PRINCIPAL_TYPE"] = "User";
        return Deployment.Predict(environment);
    }

    private static Deployment PredictCustomised()
    {
        var environment = AzdEnvironment();
        foreach (var (name, value) in SecretSentinels)
        {
            environment[name] = value;
        }

        environment["AZURE_OPENAI_RESOURCE_ID"] = AzureOpenAiResourceId;

        return Deployment.Predict(environment, new JsonObject
        {
            ["corsAllowedOrigins"] = new JsonArray(CustomCorsOrigins.Select(o => (JsonNode)o).ToArray()),
            ["appSettings"] = new JsonObject
            {
                ["Synaxis__Models__0__Name"] = "gpt-4o",
                ["Synaxis__Models__0__ApiKeySecret"] = "openai-api-key",
                // An extra setting may not replace what the template wires.
                ["AZURE_CLIENT_ID"] = "00000000-0000-0000-0000-000000000000",
            },
            ["keyVaultPurgeProtection"] = true,
            ["maximumInstanceCount"] = 40,
            ["instanceMemoryMB"] = 4096,
        });
    }
}
