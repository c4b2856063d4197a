using System.Globalization;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Providers.AzureOpenAI;

/// <summary>
/// Where a deployment's calls go. The resource endpoint (<c>https://NAME.openai.azure.com</c>) gets the
/// deployment URL <c>/openai/deployments/{deployment}/{operation}?api-version=…</c>; a base URL that already
/// ends in <c>/openai/v1</c> is the v1 API, where the deployment is the body's <c>model</c> and no
/// api-version is needed.
/// </summary>
internal static class AzureOpenAIEndpoint
{
    /// <summary>The newest generally available dated version: tools, parallel tool calls, structured outputs, streamed usage.</summary>
    public const string DefaultApiVersion = "2024-10-21";

    /// <summary><c>stream_options</c> arrived with 2024-09-01-preview; older versions reject the field.</summary>
    private static readonly DateOnly FirstWithStreamUsage = new(2024, 9, 1);

    public static bool IsV1(ModelDeployment deployment) =>
        deployment.BaseUrl!.AbsolutePath.EndsWith("/openai/v1/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The URL of <paramref name="operation"/> (<c>chat/completions</c> or <c>embeddings</c>) for the deployment.</summary>
    public static Uri For(ModelDeployment deployment, string operation)
    {
        if (IsV1(deployment))
        {
            // The v1 API takes an optional api-version ("preview") for preview features only.
            var query = deployment.ApiVersion is { } preview ? "?api-version=" + Uri.EscapeDataString(preview) : "";
            return new Uri(deployment.BaseUrl!, operation + query);
        }

        var version = Uri.EscapeDataString(deployment.ApiVersion ?? DefaultApiVersion);
        return new Uri(deployment.BaseUrl!, $"openai/deployments/{Uri.EscapeDataString(deployment.UpstreamModel)}/{operation}?api-version={version}");
    }

    /// <summary>Whether the API version accepts <c>stream_options</c>; when it does not, usage is estimated instead.</summary>
    public static bool SupportsStreamUsage(ModelDeployment deployment)
    {
        if (IsV1(deployment) || deployment.ApiVersion is not { Length: >= 10 } version)
        {
            return true;
        }

        return !DateOnly.TryParseExact(version.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || date >= FirstWithStreamUsage;
    }
}
