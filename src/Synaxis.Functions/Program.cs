using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Synaxis.Functions;
using Synaxis.Gateway.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// The catalog in the package is the default; app settings override it.
builder.Configuration.AddDefaultCatalog(AppContext.BaseDirectory);

// ASP.NET Core integration: the host proxies each HTTP call to this worker's Kestrel, so responses stream.
builder.ConfigureFunctionsWebApplication();
builder.Services.AddSynaxisGateway(builder.Configuration);
builder.Services.AddTelemetryExport(builder.Configuration);

builder.Build().Run();
