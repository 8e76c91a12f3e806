using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Tests.Sweeps;

/// <summary>Parses sweep YAML written in a test, as the file <see cref="FileName"/>.</summary>
internal static class SweepText
{
    public const string FileName = "sweep.yaml";

    public static ParsedSweepSpec Parse(string yaml) => SweepSpecParser.Parse(yaml, FileName);

    public static SweepSpec Spec(string yaml) => Parse(yaml).Spec;

    /// <summary>Every error of a file that must not parse, as <c>file:line:column: path: message</c>.</summary>
    public static IReadOnlyList<string> Errors(string yaml) =>
        [.. Assert.Throws<SweepSpecException>(() => Parse(yaml)).Errors.Select(error => error.ToString())];

    public static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);
}
