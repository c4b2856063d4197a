using System.Diagnostics;

namespace Synaxis.Bench.Processes;

/// <summary>
/// The gateway under test: a build of Synaxis.Host as its own process on a free loopback port,
/// configured through environment variables with one model served by the fake upstream, logging at
/// Warning. Its own process so that it runs exactly as it ships (its runtimeconfig: server GC, tiered PGO).
/// </summary>
internal static class SynaxisProcess
{
    public const string ModelName = "bench-model";

    /// <summary>The key the gateway accepts; every target is sent it, so all requests are the same bytes.</summary>
    public const string ClientKey = "sk-synaxis-bench";

    /// <summary>Starts a build: its <c>Synaxis.Host.dll</c> under <c>dotnet</c>, or a self-contained build's apphost (a path without <c>.dll</c>) as itself.</summary>
    public static ChildProcess Start(string hostDll, Uri upstreamApiBase, IReadOnlyDictionary<string, string> extraEnvironment, string name = "synaxis")
    {
        var port = FreePort.Next();
        // An empty content root keeps the host's own appsettings.json (its mock catalog) out of the run.
        var contentRoot = Directory.CreateTempSubdirectory("synaxis-bench-").FullName;
        var apphost = !hostDll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(apphost ? hostDll : FreePort.DotnetExecutable());
        if (!apphost)
        {
            start.ArgumentList.Add(hostDll);
        }

        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.ArgumentList.Add($"--contentRoot={contentRoot}");
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Synaxis", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["Synaxis__Models__0__Name"] = ModelName;
        start.Environment["Synaxis__Models__0__Provider"] = "openai";
        start.Environment["Synaxis__Models__0__BaseUrl"] = upstreamApiBase.ToString();
        start.Environment["Synaxis__Models__0__ApiKeySecret"] = "BENCH_UPSTREAM_KEY";
        start.Environment["BENCH_UPSTREAM_KEY"] = "sk-bench-upstream";
        start.Environment["Synaxis__ApiKeys__0"] = ClientKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (variable, value) in extraEnvironment)
        {
            start.Environment[variable] = value;
        }

        return ChildProcess.Start(name, start, new Uri($"http://127.0.0.1:{port}/"), () => DeleteQuietly(contentRoot));
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover empty temp folder is harmless.
        }
    }
}
