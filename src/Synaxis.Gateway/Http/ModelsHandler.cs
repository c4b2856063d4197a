using Microsoft.AspNetCore.Http;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Http;

/// <summary>Serves <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c> from the catalog's public names.</summary>
public sealed class ModelsHandler(RequestAuthenticator authenticator, ModelCatalog catalog, TimeProvider time)
{
    // Models have no creation date of their own; the moment the catalog was loaded stands in for it.
    private readonly long _created = time.GetUtcNow().ToUnixTimeSeconds();

    public async Task ListAsync(HttpContext context, CancellationToken cancellationToken)
    {
        RequestIds.Assign(context);
        var authentication = await authenticator.AuthenticateAsync(context.Request, acceptApiKeyHeader: false, cancellationToken).ConfigureAwait(false);
        if (authentication.Error is { } unauthorized)
        {
            await HttpResponses.WriteErrorAsync(context.Response, unauthorized, cancellationToken).ConfigureAwait(false);
            return;
        }

        // An issued key sees only the models it may call.
        var key = authentication.Caller?.Key;
        var list = new ModelList { Data = catalog.Models.Where(m => key is null || key.Allows(m.Name)).Select(Describe).ToList() };
        await HttpResponses.WriteJsonAsync(context.Response, list, GatewayJsonContext.Wire.ModelList, cancellationToken).ConfigureAwait(false);
    }

    public async Task GetAsync(HttpContext context, string id, CancellationToken cancellationToken)
    {
        RequestIds.Assign(context);
        var authentication = await authenticator.AuthenticateAsync(context.Request, acceptApiKeyHeader: false, cancellationToken).ConfigureAwait(false);
        if (authentication.Error is { } unauthorized)
        {
            await HttpResponses.WriteErrorAsync(context.Response, unauthorized, cancellationToken).ConfigureAwait(false);
            return;
        }

        await (catalog.TryResolve(id, out var model) && authentication.Caller?.Key?.Allows(model.Name) != false
            ? HttpResponses.WriteJsonAsync(context.Response, Describe(model), GatewayJsonContext.Wire.ModelInfo, cancellationToken)
            : HttpResponses.WriteErrorAsync(context.Response, ApiError.ModelNotFound(id), cancellationToken)).ConfigureAwait(false);
    }

    // Public names only: which deployments serve a model is the operator's business.
    private ModelInfo Describe(CatalogModel model) => new() { Id = model.Name, Created = _created, OwnedBy = model.OwnedBy, Pricing = PricingOf(model) };

    // The primary deployment's prices (the first of the lowest priority), which most calls pay; a fallback may
    // cost otherwise, so a client's cost computed from these is an estimate.
    private static ModelPricing? PricingOf(CatalogModel model)
    {
        var primary = model.Deployments.MinBy(d => d.Priority)!;
        return primary.InputPricePerMillion is null && primary.OutputPricePerMillion is null && primary.CachedInputPricePerMillion is null
            ? null
            : new ModelPricing
            {
                InputPerMillion = primary.InputPricePerMillion,
                OutputPerMillion = primary.OutputPricePerMillion,
                CachedInputPerMillion = primary.CachedInputPricePerMillion,
            };
    }
}
