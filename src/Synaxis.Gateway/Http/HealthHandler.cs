using Microsoft.AspNetCore.Http;

namespace Synaxis.Gateway.Http;

/// <summary>Serves <c>GET /health</c>: liveness, without authentication, cheap enough for a probe every second.</summary>
public sealed class HealthHandler
{
    public Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync("""{"status":"healthy"}""", cancellationToken);
    }
}
