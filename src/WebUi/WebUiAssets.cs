using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace SweepRunner.WebUi;

/// <summary>A file of the built dashboard: its bytes, media type and strong ETag (SHA-256 of the bytes).</summary>
public sealed record WebUiAsset(string Name, byte[] Bytes, string ContentType, string ETag);

/// <summary>
/// The dashboard's files, embedded in this assembly by the build (resources <c>ui/NAME</c>, made by npm from
/// <c>web/</c>): read once, served from memory, so the product needs no files beside it and no CDN.
/// </summary>
public static class WebUiAssets
{
    private const string Prefix = "ui/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<FrozenDictionary<string, WebUiAsset>> All = new(Load);

    /// <summary>The asset named <paramref name="name"/> (e.g. <c>app.js</c>), or null.</summary>
    public static WebUiAsset? Find(string name) => All.Value.GetValueOrDefault(name);

    /// <summary>The names of every asset, for diagnostics and tests.</summary>
    public static IReadOnlyCollection<string> Names => All.Value.Keys;

    private static FrozenDictionary<string, WebUiAsset> Load()
    {
        var assembly = typeof(WebUiAssets).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(resource => resource.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(resource => Read(assembly, resource))
            .ToFrozenDictionary(asset => asset.Name, StringComparer.Ordinal);
    }

    private static WebUiAsset Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] bytes = buffer.ToArray();
        string name = resource[Prefix.Length..];
        string type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        return new WebUiAsset(name, bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"");
    }
}
