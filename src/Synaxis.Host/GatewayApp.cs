using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Health;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Http.Admin;
using Synaxis.Gateway.Http.Messages;
using Synaxis.Gateway.Http.Reports;
using Synaxis.Gateway.Http.Playground;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Host;

/// <summary>
/// Builds the standalone gateway: the shared handlers mapped to the same routes the Functions app
/// serves, plus CORS for browser clients and OpenAI-shaped answers for unknown routes.
/// </summary>
public static class GatewayApp
{
    /// <summary>The seed's URL: clients written for it work without changes.</summary>
    public const string DefaultUrl = "http://localhost:8080";

    private const string CorsPolicy = "synaxis";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddSynaxisGateway(builder.Configuration);
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<GatewayOptions>>((cors, gateway) =>
            cors.AddPolicy(CorsPolicy, policy => ConfigureCors(policy, gateway.Value.CorsOrigins)));
        configure?.Invoke(builder);
        // After the caller's configuration, whose settings may name the exporters.
        builder.Services.AddTelemetryExport(builder.Configuration);

        var app = builder.Build();
        app.UseStatusCodePages(WriteStatusErrorAsync);
        app.UseCors(CorsPolicy);
        MapGateway(app);
        return app;
    }

    /// <summary>The routes, exactly as the Functions app declares them.</summary>
    public static void MapGateway(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/chat/completions", (HttpContext context, ChatCompletionsHandler handler) => handler.HandleAsync(context, context.RequestAborted));
        endpoints.MapPost("/v1/embeddings", (HttpContext context, EmbeddingsHandler handler) => handler.HandleAsync(context, context.RequestAborted));
        endpoints.MapPost("/v1/messages", (HttpContext context, MessagesHandler handler) => handler.HandleAsync(context, context.RequestAborted));
        endpoints.MapGet("/v1/models", (HttpContext context, ModelsHandler handler) => handler.ListAsync(context, context.RequestAborted));
        endpoints.MapGet("/v1/models/{id}", (HttpContext context, string id, ModelsHandler handler) => handler.GetAsync(context, id, context.RequestAborted));
        endpoints.MapGet("/health", (HttpContext context, HealthHandler handler) => handler.HandleAsync(context, context.RequestAborted));
        endpoints.MapGet("/health/ready", (HttpContext context, ReadinessHandler handler) => handler.HandleAsync(context, context.RequestAborted));
        endpoints.MapGet("/v1/usage", (HttpContext context, UsageHandler handler) => handler.HandleAsync(context, context.RequestAborted));

        // The admin API answers at /admin/… and at /v1/admin/…: the Functions host keeps every route that starts with
        // "admin" for its own management API, so in Azure only /v1/admin/… reaches the gateway.
        foreach (var prefix in (string[])["/admin", "/v1/admin"])
        {
            var admin = endpoints.MapGroup(prefix);
            admin.MapPost("/keys", (HttpContext context, AdminKeysHandler handler) => handler.CreateAsync(context, context.RequestAborted));
            admin.MapGet("/keys", (HttpContext context, AdminKeysHandler handler) => handler.ListAsync(context, context.RequestAborted));
            admin.MapGet("/keys/{id}", (HttpContext context, string id, AdminKeysHandler handler) => handler.GetAsync(context, id, context.RequestAborted));
            admin.MapPatch("/keys/{id}", (HttpContext context, string id, AdminKeysHandler handler) => handler.UpdateAsync(context, id, context.RequestAborted));
            admin.MapDelete("/keys/{id}", (HttpContext context, string id, AdminKeysHandler handler) => handler.RevokeAsync(context, id, context.RequestAborted));
            admin.MapPost("/keys/{id}/credit", (HttpContext context, string id, AdminKeysHandler handler) => handler.CreditAsync(context, id, context.RequestAborted));
            admin.MapPost("/keys/{id}/revoke", (HttpContext context, string id, AdminKeysHandler handler) => handler.RevokeAsync(context, id, context.RequestAborted));
            admin.MapGet("/usage", (HttpContext context, AdminUsageHandler handler) => handler.HandleAsync(context, context.RequestAborted));
        }
        endpoints.MapGet("/playground", (HttpContext context, PlaygroundHandler handler) => handler.PageAsync(context, context.RequestAborted));
        endpoints.MapGet("/playground/{asset}", (HttpContext context, string asset, PlaygroundHandler handler) => handler.AssetAsync(context, asset, context.RequestAborted));

        // The Functions app cannot serve its root (an HTTP trigger's route may not be empty), so only here is
        // the playground also the home page.
        endpoints.MapGet("/", (HttpContext context, PlaygroundHandler handler) => handler.PageAsync(context, context.RequestAborted));
    }

    private static void ConfigureCors(CorsPolicyBuilder policy, List<string> origins)
    {
        if (origins.Contains("*"))
        {
            policy.AllowAnyOrigin();
        }
        else
        {
            policy.WithOrigins([.. origins]);
        }

        // Browsers must be allowed to send Authorization and to read the headers that explain an answer.
        policy.AllowAnyHeader()
            .WithMethods("GET", "POST")
            .WithExposedHeaders("x-request-id", "x-synaxis-deployment", "Retry-After",
                "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
                "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens")
            .SetPreflightMaxAge(TimeSpan.FromHours(1));
    }

    private static Task WriteStatusErrorAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var request = context.Request;
        var error = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ApiError.NotFound($"Invalid URL ({request.Method} {request.Path})."),
            StatusCodes.Status405MethodNotAllowed => new ApiError(405, $"Method {request.Method} is not allowed for {request.Path}.", "invalid_request_error"),
            var code => new ApiError(code, $"The request failed with HTTP {code}.", code >= 500 ? "server_error" : "invalid_request_error"),
        };
        return HttpResponses.WriteErrorAsync(context.Response, error, context.RequestAborted);
    }
}
