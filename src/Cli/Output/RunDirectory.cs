using System.Text.Json;
using SweepRunner.Models;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Figures;
using SweepRunner.Models.Vae;

namespace SweepRunner.Cli.Output;

/// <summary>The --out folder of a training run and the files in it.</summary>
internal sealed class RunDirectory
{
    public const string MetricsFileName = "metrics.json";
    public const string ConfigFileName = "config.json";
    public const string SamplesFileName = "samples.png";

    private const int SampleCount = 100;
    private const int SampleColumns = 10;
    private const int ImageSide = 28;

    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string CheckpointPath => File(Checkpoint.FileName);

    public static string SamplesName(int? digit) => digit is { } d ? $"digit-{d}.png" : SamplesFileName;

    public void Save(Checkpoint checkpoint) => checkpoint.Save(CheckpointPath);

    public void Write(MetricsDocument metrics) => WriteJson(MetricsFileName, metrics);

    public void Write(RunConfigDocument config) => WriteJson(ConfigFileName, config);

    /// <summary>A 10 × 10 grid of digits decoded from the prior; for a cvae, all of <paramref name="digit"/> when given.</summary>
    public string WriteSamples(VariationalAutoencoder model, ulong seed, int? digit)
    {
        var images = DigitSampler.Sample(model, SampleCount, seed, digit);
        var path = File(SamplesName(digit));
        WriteAtomically(path, GrayscalePng.EncodeGrid(images, ImageSide, SampleColumns));
        return path;
    }

    private string File(string name) => System.IO.Path.Combine(Path, name);

    private void WriteJson<T>(string name, T value) =>
        WriteAtomically(File(name), JsonSerializer.SerializeToUtf8Bytes(value, ModelJson.Options));

    // Files are rewritten every epoch; writing beside and renaming means a crash never leaves half a file.
    private static void WriteAtomically(string path, byte[] content)
    {
        var temporary = path + ".tmp";
        System.IO.File.WriteAllBytes(temporary, content);
        System.IO.File.Move(temporary, path, overwrite: true);
    }
}
