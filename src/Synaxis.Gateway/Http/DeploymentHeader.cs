using Microsoft.AspNetCore.Http;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Http;

/// <summary><c>x-synaxis-deployment</c>: which deployment answered (or, on an error, was tried last). Its id only, never a URL or key.</summary>
internal static class DeploymentHeader
{
    public const string Name = "x-synaxis-deployment";

    public static void Set(HttpResponse response, ModelDeployment? deployment)
    {
        if (deployment is not null && !response.HasStarted)
        {
            response.Headers[Name] = deployment.Name;
        }
    }
}
