using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Synaxis.Gateway.Health;

namespace Synaxis.Functions;

/// <summary><c>GET /health/ready</c>: readiness (Key Vault secrets in hand, billing storage reachable) for probes and monitors.</summary>
public sealed class ReadinessFunction(ReadinessHandler handler)
{
    [Function("Readiness")]
    public Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/ready")] HttpRequest request,
        FunctionContext context) =>
        handler.HandleAsync(request.HttpContext, context.CancellationToken);
}
