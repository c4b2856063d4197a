using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Synaxis.Gateway.Http;

namespace Synaxis.Functions;

/// <summary><c>GET /health</c>: liveness for probes and load balancers.</summary>
public sealed class HealthFunction(HealthHandler handler)
{
    [Function("Health")]
    public Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        FunctionContext context) =>
        handler.HandleAsync(request.HttpContext, context.CancellationToken);
}
