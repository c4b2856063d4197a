using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Synaxis.Gateway.Health;

/// <summary>
/// Serves <c>GET /health/ready</c>: 200 when the gateway can serve (every check healthy or degraded), 503 when it
/// cannot, with each check's status and a short fixed description, e.g.
/// <c>{"status":"ready","checks":{"key_vault":{"status":"healthy","description":"3 secret(s) read from Key Vault"},…}}</c>.
/// No check calls a dependency more than once per few seconds, so a load balancer may probe every second.
/// </summary>
public sealed class ReadinessHandler(HealthCheckService health)
{
    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        var ready = report.Status != HealthStatus.Unhealthy;
        var response = context.Response;
        response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";

        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("status", ready ? "ready" : "not_ready");
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status switch
            {
                HealthStatus.Healthy => "healthy",
                HealthStatus.Degraded => "degraded",
                _ => "unhealthy",
            });
            json.WriteString("description", entry.Description);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
