using System.Text.Json;
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
}
