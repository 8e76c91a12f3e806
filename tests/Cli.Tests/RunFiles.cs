using System.Text.Json;
using System.Text.RegularExpressions;
using SkiaSharp;
using SweepRunner.Cli.Output;
using SweepRunner.Models;

namespace SweepRunner.Cli.Tests;

/// <summary>Reads back what a run wrote to its --out folder.</summary>
public static class RunFiles
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    internal static MetricsDocument Metrics(string folder) =>
        JsonSerializer.Deserialize<MetricsDocument>(File.ReadAllBytes(Path.Combine(folder, "metrics.json")), ModelJson.Options)
        ?? throw new InvalidDataException("metrics.json is null");

    /// <summary>Asserts that <paramref name="path"/> is a PNG that decodes whole; returns its width and height.</summary>
    public static (int Width, int Height) AssertPng(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing");
        byte[] png = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, png.Take(PngSignature.Length));
        using var bitmap = SKBitmap.Decode(png);
        Assert.True(bitmap is not null, $"{path} does not decode");
        return (bitmap.Width, bitmap.Height);
    }

    /// <summary>Asserts that <paramref name="path"/> is a PNG of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static void AssertPng(string path, int width, int height) => Assert.Equal((width, height), AssertPng(path));

    /// <summary>Asserts that the output says it wrote <paramref name="path"/> (the test console wraps long lines).</summary>
    public static void AssertListed(string output, string path) =>
        Assert.Contains("wrote" + path, Regex.Replace(output, @"\s+", ""), StringComparison.Ordinal);
}
