using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
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

    public static void AssertPng(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing");
        Assert.Equal(PngSignature, File.ReadAllBytes(path).Take(PngSignature.Length));
    }

    /// <summary>Asserts that <paramref name="path"/> is a PNG of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static void AssertPng(string path, int width, int height)
    {
        AssertPng(path);
        // The IHDR chunk comes first: its width and height are the big-endian words at bytes 16 and 20.
        var header = File.ReadAllBytes(path).AsSpan(16, 8);
        Assert.Equal((width, height), (BinaryPrimitives.ReadInt32BigEndian(header), BinaryPrimitives.ReadInt32BigEndian(header[4..])));
    }

    /// <summary>Asserts that the output says it wrote <paramref name="path"/> (the test console wraps long lines).</summary>
    public static void AssertListed(string output, string path) =>
        Assert.Contains("wrote" + path, Regex.Replace(output, @"\s+", ""), StringComparison.Ordinal);
}
