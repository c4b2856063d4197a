namespace Synaxis.Testing;

/// <summary>
/// The system's Chromium (Debian's <c>chromium</c>, which <c>test.sh</c> installs), driven by the
/// <c>playwright-core</c> package of <c>tests/clients</c> for the page tests; no browser is downloaded.
/// </summary>
public static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary><c>CHROMIUM_PATH</c> when set, otherwise the first browser installed at a usual place.</summary>
    public static string ExecutablePath
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }

            return Candidates.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("Chromium is not installed: apt-get install chromium (test.sh does), or set CHROMIUM_PATH.");
        }
    }

    /// <summary>
    /// Runs a browser script of <c>tests/Synaxis.IntegrationTests</c> (an ES module that imports
    /// <c>playwright-core</c>) with <c>CHROMIUM_PATH</c> and the given variables in its environment.
    /// </summary>
    public static Task<NodeRun> RunScriptAsync(string relativePath, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var script = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, relativePath));
        var variables = new Dictionary<string, string>(environment) { ["CHROMIUM_PATH"] = ExecutablePath };
        return NodeClients.RunModuleAsync(script, timeout, variables);
    }
}
