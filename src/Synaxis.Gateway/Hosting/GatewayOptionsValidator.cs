using Microsoft.Extensions.Options;
using Synaxis.Gateway.Providers.Anthropic;
using Synaxis.Gateway.Providers.AzureOpenAI;
using Synaxis.Gateway.Providers.Gemini;
using Synaxis.Gateway.Providers.Mock;
using Synaxis.Gateway.Providers.OpenAICompatible;

namespace Synaxis.Gateway.Hosting;

/// <summary>Refuses to start with a catalog or limits that cannot work, naming the entry at fault.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    private static readonly string[] Providers =
        [OpenAICompatibleProvider.ProviderName, AnthropicProvider.ProviderName, MockProvider.ProviderName, AzureOpenAIProvider.ProviderName, GeminiProvider.ProviderName];

    /// <summary>Providers with no default address: each model must say where its upstream is.</summary>
    private static readonly string[] NeedBaseUrl = [OpenAICompatibleProvider.ProviderName, AzureOpenAIProvider.ProviderName];

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Models.Count; i++)
        {
            var model = options.Models[i];
            var where = $"Synaxis:Models:{i}";
            if (string.IsNullOrWhiteSpace(model.Name))
            {
                failures.Add($"{where}:Name is required.");
                continue;
            }

            foreach (var publicName in model.Aliases.Prepend(model.Name))
            {
                if (!names.Add(publicName))
                {
                    failures.Add($"{where}: the model name '{publicName}' is used twice.");
                }
            }

            if (model.Provider is null || !Providers.Contains(model.Provider, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{where}:Provider for '{model.Name}' must be one of: {string.Join(", ", Providers)}.");
            }
            else if (NeedBaseUrl.Contains(model.Provider, StringComparer.OrdinalIgnoreCase) && !IsHttpUrl(model.BaseUrl))
            {
                failures.Add($"{where}:BaseUrl for '{model.Name}' must be an absolute http(s) URL such as "
                    + (string.Equals(model.Provider, AzureOpenAIProvider.ProviderName, StringComparison.OrdinalIgnoreCase) ? "https://NAME.openai.azure.com." : "https://api.openai.com/v1."));
            }
            else if (string.Equals(model.Provider, AnthropicProvider.ProviderName, StringComparison.OrdinalIgnoreCase)
                && model.BaseUrl is not null && !IsHttpUrl(model.BaseUrl))
            {
                failures.Add($"{where}:BaseUrl for '{model.Name}' must be an absolute http(s) URL, or absent for {AnthropicProvider.DefaultBaseUrl}.");
            }
            else if (model.BaseUrl is { Length: > 0 } && !IsHttpUrl(model.BaseUrl))
            {
                failures.Add($"{where}:BaseUrl for '{model.Name}' must be an absolute http(s) URL.");
            }

            if (model.MaxOutputTokens is < 1)
            {
                failures.Add($"{where}:MaxOutputTokens for '{model.Name}' must be at least 1.");
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // "localhost:11434/v1" parses as an absolute URI with the scheme "localhost"; only http(s) can be called.
    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
