using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Synaxis.IntegrationTests.Playground;

/// <summary>
/// <c>GET /v1/usage</c> answering with a fixed body of the documented shape, for testing the page's usage view
/// apart from the ledger behind the real endpoint. It asks for the page's key like the real one.
/// </summary>
public sealed class UsageStub(string key, string body) : IStartupFilter
{
    /// <summary>The query strings of the calls that carried the key.</summary>
    public ConcurrentQueue<string> Queries { get; } = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map("/v1/usage", usage => usage.Run(context =>
        {
            context.Response.ContentType = "application/json";
            if (context.Request.Headers.Authorization != $"Bearer {key}")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return context.Response.WriteAsync("""{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
            }

            Queries.Enqueue(context.Request.QueryString.Value ?? "");
            return context.Response.WriteAsync(body);
        }));
        next(app);
    };
}
