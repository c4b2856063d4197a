using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Providers;

/// <summary>One call of one deployment: the client's request and where it goes.</summary>
public sealed class ProviderCall(ChatCompletionRequest request, ModelDeployment deployment, string requestId)
{
    public ChatCompletionRequest Request { get; } = request;

    public ModelDeployment Deployment { get; } = deployment;

    public string RequestId { get; } = requestId;
}
