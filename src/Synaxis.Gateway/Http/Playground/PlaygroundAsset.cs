using System.Security.Cryptography;

namespace Synaxis.Gateway.Http.Playground;

/// <summary>One file of the playground page, read once from the assembly's embedded resources.</summary>
public sealed class PlaygroundAsset
{
    private PlaygroundAsset(byte[] content, string contentType, string etag)
    {
        Content = content;
        ContentType = contentType;
        ETag = etag;
    }

    public byte[] Content { get; }

    public string ContentType { get; }

    /// <summary>A strong validator from the content's hash, so a browser revalidates cheaply after an upgrade.</summary>
    public string ETag { get; }

    /// <summary>Loads the resource <c>Synaxis.Playground.{fileName}</c> (see the project file).</summary>
    public static PlaygroundAsset Load(string fileName, string contentType)
    {
        var assembly = typeof(PlaygroundAsset).Assembly;
        using var stream = assembly.GetManifestResourceStream("Synaxis.Playground." + fileName)
            ?? throw new InvalidOperationException($"The playground file '{fileName}' is not embedded in {assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        return new PlaygroundAsset(content, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12))}\"");
    }
}
