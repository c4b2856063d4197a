using Synaxis.Host;

await GatewayApp.Build(args).RunAsync();
