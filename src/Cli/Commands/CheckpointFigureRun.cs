using System.CommandLine;
using Spectre.Console;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Vae;
using SweepRunner.Plotting;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// What <c>sweep sample</c> and <c>sweep manifold</c> share: the model of --checkpoint (no dataset needed),
/// --digit checked against it, the PNG files written, and each kind of failure as its message and exit code.
/// </summary>
internal sealed class CheckpointFigureRun(IAnsiConsole console, TextWriter error)
{
    public static Option<string> CheckpointOption() => new("--checkpoint")
    {
        Description = "Checkpoint to decode with: a run's DIR/checkpoint, or one pulled with best --pull",
        HelpName = "FILE",
        Required = true,
    };

    public static Option<string> OutOption(string description) => new("--out")
    {
        Description = description,
        HelpName = "FILE.png",
        Required = true,
    };

    /// <summary>
    /// Loads the checkpoint's model, lets <paramref name="render"/> draw with it (returning each file's path and
    /// PNG bytes), writes the files and names them.
    /// </summary>
    public int Execute(string checkpoint, int? digit, Func<VariationalAutoencoder, IReadOnlyList<(string Path, byte[] Png)>> render)
    {
        try
        {
            using var model = LoadModel(checkpoint, digit);
            foreach (var (path, png) in render(model))
            {
                var full = Path.GetFullPath(path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                AtomicFile.Write(full, png);
                console.WriteLine($"wrote {full}");
            }
            return ExitCodes.Ok;
        }
        catch (CheckpointException ex)
        {
            return Fail($"--checkpoint: {ex.Message}", ExitCodes.BadInput);
        }
        catch (InputException ex)
        {
            return Fail(ex.Message, ExitCodes.BadInput);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(ex.Message, ExitCodes.Failure);
        }
    }

    private static VariationalAutoencoder LoadModel(string path, int? digit)
    {
        var checkpoint = Checkpoint.Load(path);
        OptionParsing.CheckDigitFits(digit, checkpoint.Metadata.Config.Model, "a cvae checkpoint");
        return checkpoint.LoadModel(path);
    }

    private int Fail(string message, int exitCode)
    {
        error.WriteLine($"error: {message}");
        return exitCode;
    }
}
