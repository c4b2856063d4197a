using System.Diagnostics;

namespace Synaxis.Infra.Tests.Scripts;

/// <summary>
/// A vault on disk behind stand-ins for <c>az</c> and <c>azd</c> on PATH, so the operator scripts run
/// here as they would against Azure: each secret is a file, every az call is logged with its arguments.
/// </summary>
internal sealed class FakeAzureCli : IDisposable
{
    public const string VaultName = "kv-fake";

    private const string Az = """
        #!/usr/bin/env bash
        echo "$*" >>"$FAKE_AZ_DIR/calls.log"
        command="$1 $2 $3"; shift 3
        while [ $# -gt 0 ]; do
          case "$1" in
            --vault-name) vault=$2; shift 2 ;;
            --name) name=$2; shift 2 ;;
            --file) file=$2; shift 2 ;;
            *) shift ;;
          esac
        done
        if [ -e "$FAKE_AZ_DIR/forbidden" ]; then
          echo "ERROR: (Forbidden) Caller is not authorized to perform action on resource." >&2; exit 1
        fi
        secret="$FAKE_AZ_DIR/secrets/$vault/$name"
        case "$command" in
          "keyvault secret show")
            if [ -f "$secret" ]; then cat "$secret"; echo; else
              echo "ERROR: (SecretNotFound) A secret with (name/id) $name was not found in this key vault." >&2; exit 3; fi ;;
          "keyvault secret set") mkdir -p "$(dirname "$secret")"; cp "$file" "$secret" ;;
          *) echo "unexpected: az $command" >&2; exit 2 ;;
        esac
        """;

    private const string Azd = $"""
        #!/usr/bin/env bash
        [ "$*" = "env get-value AZURE_KEY_VAULT_NAME" ] && echo {VaultName} && exit 0
        echo "unexpected: azd $*" >&2; exit 2
        """;

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("synaxis-fake-az-");

    public FakeAzureCli()
    {
        var bin = Directory.CreateDirectory(Path.Combine(directory.FullName, "bin"));
        WriteExecutable(Path.Combine(bin.FullName, "az"), Az);
        WriteExecutable(Path.Combine(bin.FullName, "azd"), Azd);
    }

    /// <summary>Every az command line the script ran.</summary>
    public string Calls => File.Exists(PathOf("calls.log")) ? File.ReadAllText(PathOf("calls.log")) : "";

    public string? Secret(string name) => File.Exists(SecretPath(name)) ? File.ReadAllText(SecretPath(name)) : null;

    public void SetSecret(string name, string value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SecretPath(name))!);
        File.WriteAllText(SecretPath(name), value);
    }

    /// <summary>Makes every az call fail as it does for a caller without a role on the vault.</summary>
    public void Forbid() => File.WriteAllText(PathOf("forbidden"), "");

    public (int ExitCode, string Stdout, string Stderr) Run(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Repository.PathOf(script));
        start.Environment["PATH"] = $"{Path.Combine(directory.FullName, "bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["FAKE_AZ_DIR"] = directory.FullName;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within 30 s.");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public void Dispose() => directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(directory.FullName, name);

    private string SecretPath(string name) => Path.Combine(directory.FullName, "secrets", VaultName, name);

    private static void WriteExecutable(string path, string script)
    {
        File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
