namespace Synaxis.Testing;

/// <summary>Finds the recorded provider responses in <c>../shared/fixtures/upstream</c> beside the repository.</summary>
public static class Fixtures
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root (the folder holding <c>Synaxis.Functions.sln</c>).</summary>
    public static string RepositoryRoot { get; } = FindRepository();

    /// <summary>The <c>shared</c> folder beside the repository (fixtures, the seed documents).</summary>
    public static string SharedDirectory => Path.GetFullPath(Path.Combine(Root.Value, "..", ".."));

    public static string PathOf(string relative) => Path.Combine(Root.Value, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The status code recorded beside a body (<c>name.status</c>), or <paramref name="fallback"/>.</summary>
    public static int Status(string relative, int fallback = 200)
    {
        var statusFile = Path.ChangeExtension(PathOf(relative), ".status");
        if (!File.Exists(statusFile))
        {
            return fallback;
        }

        var parts = File.ReadLines(statusFile).First().Split(' ');
        return int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string FindRepository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Synaxis.Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Synaxis.Functions.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SYNAXIS_FIXTURES");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "upstream"));
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"Recorded upstream fixtures not found at {path}.");
    }
}
