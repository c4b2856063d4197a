using System.Diagnostics;

namespace Synaxis.Bench.Processes;

/// <summary>
/// The peer gateway: Portkey AI Gateway as installed in <c>bench/peer</c> (npm <c>@portkey-ai/gateway</c>
/// 1.15.2 with its lockfile's hono versions), started by <c>serve-loopback.mjs</c>, which runs the
/// package's own <c>build/start-server.js</c> but on 127.0.0.1 instead of every interface.
/// </summary>
internal static class PortkeyProcess
{
    public const string Name = "portkey";

    /// <summary>Why the peer cannot run from <paramref name="peerDirectory"/>, or null when it can.</summary>
    public static string? Unavailable(string peerDirectory) =>
        File.Exists(Path.Combine(peerDirectory, "node_modules", "@portkey-ai", "gateway", "build", "start-server.js"))
            ? null
            : $"{peerDirectory}/node_modules holds no @portkey-ai/gateway; bench/run.sh installs it with npm ci.";

    public static ChildProcess Start(string peerDirectory, string name = Name)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = peerDirectory,
            ArgumentList = { "serve-loopback.mjs", $"--port={port}", "--headless" },
        };
        // As deployed: production mode, no UI routes.
        start.Environment["NODE_ENV"] = "production";
        return ChildProcess.Start(name, start, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>The headers that make Portkey forward to an OpenAI-compatible server at <paramref name="upstreamApiBase"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(Uri upstreamApiBase) =>
    [
        new("x-portkey-provider", "openai"),
        new("x-portkey-custom-host", upstreamApiBase.ToString().TrimEnd('/')),
    ];
}
