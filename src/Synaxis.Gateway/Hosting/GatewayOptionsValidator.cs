using Microsoft.Extensions.Options;
using Synaxis.Gateway.Providers.Anthropic;
using Synaxis.Gateway.Providers.AzureOpenAI;
using Synaxis.Gateway.Providers.Gemini;
using Synaxis.Gateway.Providers.Mock;
using Synaxis.Gateway.Providers.OpenAICompatible;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Hosting;

/// <summary>Refuses to start with a catalog or limits that cannot work, naming the entry at fault.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    private static readonly string[] Providers =
        [OpenAICompatibleProvider.ProviderName, AnthropicProvider.ProviderName, MockProvider.ProviderName, AzureOpenAIProvider.ProviderName, GeminiProvider.ProviderName];

    /// <summary>Providers with no default address: each deployment must say where its upstream is.</summary>
    private static readonly string[] NeedBaseUrl = [OpenAICompatibleProvider.ProviderName, AzureOpenAIProvider.ProviderName];

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var deploymentNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Models.Count; i++)
        {
            var model = options.Models[i];
            var where = $"Synaxis:Models:{i}";
            if (string.IsNullOrWhiteSpace(model.Name))
            {
                failures.Add($"{where}:Name is required.");
                continue;
            }

            var nameIsNew = !names.Contains(model.Name);
            foreach (var publicName in model.Aliases.Prepend(model.Name))
            {
                if (!names.Add(publicName))
                {
                    failures.Add($"{where}: the model name '{publicName}' is used twice.");
                }
            }

            if (model.Deployments.Count == 0)
            {
                // Its one deployment is named like the model: a model name used twice is reported once, above.
                ValidateDeployment(failures, where, model.Name, model, model, deploymentNames, reportNameUsedTwice: nameIsNew);
                continue;
            }

            DeploymentLimitsValidator.Validate(failures, where, model.Name, model); // the defaults its deployments inherit
            for (var j = 0; j < model.Deployments.Count; j++)
            {
                var deployment = model.Deployments[j];
                var at = $"{where}:Deployments:{j}";
                if (string.IsNullOrWhiteSpace(deployment.Name))
                {
                    failures.Add($"{at}:Name is required: a unique deployment id such as '{model.Name}-eastus', shown in x-synaxis-deployment.");
                    continue;
                }

                ValidateDeployment(failures, at, deployment.Name, deployment, model, deploymentNames, reportNameUsedTwice: true);
            }
        }

        if (options.MaxRequestBodyBytes <= 0)
        {
            failures.Add("Synaxis:MaxRequestBodyBytes must be positive.");
        }

        if (options.FirstByteTimeout <= TimeSpan.Zero || options.IdleTimeout <= TimeSpan.Zero || options.KeepAliveInterval <= TimeSpan.Zero)
        {
            failures.Add("Synaxis:FirstByteTimeout, IdleTimeout and KeepAliveInterval must be positive.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.TotalTimeout <= TimeSpan.Zero)
        {
            failures.Add("Synaxis:ConnectTimeout and TotalTimeout must be positive.");
        }

        if (options.Billing.KeyLookupsPerSecond < 1)
        {
            failures.Add("Synaxis:Billing:KeyLookupsPerSecond must be at least 1.");
        }

        RoutingOptionsValidator.Validate(options.Routing, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Checks one deployment: its own fields, else what it inherits from its model.</summary>
    private static void ValidateDeployment(
        List<string> failures, string where, string label, DeploymentOptions deployment, ModelOptions model, HashSet<string> deploymentNames, bool reportNameUsedTwice)
    {
        if (!deploymentNames.Add(label) && reportNameUsedTwice)
        {
            failures.Add($"{where}: the deployment name '{label}' is used twice.");
        }

        var provider = deployment.Provider ?? model.Provider;
        var baseUrl = string.IsNullOrWhiteSpace(deployment.BaseUrl) ? model.BaseUrl : deployment.BaseUrl;
        if (provider is null || !Providers.Contains(provider, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{where}:Provider for '{label}' must be one of: {string.Join(", ", Providers)}.");
        }
        else if (NeedBaseUrl.Contains(provider, StringComparer.OrdinalIgnoreCase) && !IsHttpUrl(baseUrl))
        {
            failures.Add($"{where}:BaseUrl for '{label}' must be an absolute http(s) URL such as "
                + (string.Equals(provider, AzureOpenAIProvider.ProviderName, StringComparison.OrdinalIgnoreCase) ? "https://NAME.openai.azure.com." : "https://api.openai.com/v1."));
        }
        else if (string.Equals(provider, AnthropicProvider.ProviderName, StringComparison.OrdinalIgnoreCase) && baseUrl is not null && !IsHttpUrl(baseUrl))
        {
            failures.Add($"{where}:BaseUrl for '{label}' must be an absolute http(s) URL, or absent for {AnthropicProvider.DefaultBaseUrl}.");
        }
        else if (baseUrl is { Length: > 0 } && !IsHttpUrl(baseUrl))
        {
            failures.Add($"{where}:BaseUrl for '{label}' must be an absolute http(s) URL.");
        }

        DeploymentLimitsValidator.Validate(failures, where, label, deployment);
    }

    // "localhost:11434/v1" parses as an absolute URI with the scheme "localhost"; only http(s) can be called.
    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
