using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Synaxis.Gateway.Http.Admin;

namespace Synaxis.Functions;

/// <summary>
/// The admin API at <c>/v1/admin/…</c>. The Functions host refuses any route that starts with <c>admin</c> (its own
/// management API lives there), so the standalone host's <c>/admin/…</c> is served here under <c>/v1</c>.
/// </summary>
public sealed class KeyManagementFunctions(AdminKeysHandler keys, AdminUsageHandler usage)
{
    [Function("CreateKey")]
    public Task CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/keys")] HttpRequest request, FunctionContext context) =>
        keys.CreateAsync(request.HttpContext, context.CancellationToken);

    [Function("ListKeys")]
    public Task ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/keys")] HttpRequest request, FunctionContext context) =>
        keys.ListAsync(request.HttpContext, context.CancellationToken);

    [Function("GetKey")]
    public Task GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/keys/{id}")] HttpRequest request, string id, FunctionContext context) =>
        keys.GetAsync(request.HttpContext, id, context.CancellationToken);

    [Function("UpdateKey")]
    public Task UpdateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/admin/keys/{id}")] HttpRequest request, string id, FunctionContext context) =>
        keys.UpdateAsync(request.HttpContext, id, context.CancellationToken);

    [Function("DeleteKey")]
    public Task DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/admin/keys/{id}")] HttpRequest request, string id, FunctionContext context) =>
        keys.RevokeAsync(request.HttpContext, id, context.CancellationToken);

    [Function("CreditKey")]
    public Task CreditAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/keys/{id}/credit")] HttpRequest request, string id, FunctionContext context) =>
        keys.CreditAsync(request.HttpContext, id, context.CancellationToken);

    [Function("RevokeKey")]
    public Task RevokeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/keys/{id}/revoke")] HttpRequest request, string id, FunctionContext context) =>
        keys.RevokeAsync(request.HttpContext, id, context.CancellationToken);

    [Function("KeyUsage")]
    public Task UsageAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/usage")] HttpRequest request, FunctionContext context) =>
        usage.HandleAsync(request.HttpContext, context.CancellationToken);
}
