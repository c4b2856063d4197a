using System.Diagnostics;

namespace Synaxis.Testing;

/// <summary>
/// Runs JavaScript against the gateway with the official client packages of <c>tests/clients</c>
/// (<c>openai</c>, <c>@anthropic-ai/sdk</c>), which <c>test.sh</c> installs with <c>npm ci</c>.
/// </summary>
public static class NodeClients
{
    /// <summary>The folder holding <c>package.json</c> and <c>node_modules</c>.</summary>
    public static string Directory { get; } = Path.Combine(Fixtures.RepositoryRoot, "tests", "clients");

    /// <summary>
    /// Writes <paramref name="script"/> as an ES module next to <c>node_modules</c> (so <c>import</c> finds the
    /// packages), runs it, and deletes it. The process is killed when it outlives <paramref name="timeout"/>.
    /// </summary>
    public static async Task<NodeRun> RunModuleAsync(string script, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules")))
        {
            throw new InvalidOperationException($"Client packages are not installed: run 'npm ci' in {Directory} (test.sh does).");
        }

        var file = Path.Combine(Directory, $"run-{Guid.NewGuid():N}.tmp.mjs");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var start = new ProcessStartInfo("node", file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Directory,
            };
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            using var node = Process.Start(start)!;
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            using var cancellation = new CancellationTokenSource(timeout);
            try
            {
                await node.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                node.Kill(entireProcessTree: true);
                throw new TimeoutException($"node did not finish within {timeout}: {await stdout}{await stderr}");
            }

            return new NodeRun(node.ExitCode, await stdout, await stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>What a node run printed and how it ended.</summary>
public sealed record NodeRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
