using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using SweepRunner.Common;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// Options whose values are checked while parsing, so that a bad value is a parse error (exit 2) whose
/// message names the option; "abc" and "0" get the same kind of message.
/// </summary>
internal static class OptionParsing
{
    public const string AtLeastOne = "an integer >= 1";

    public static Option<int> PositiveInteger(string name, string description, int defaultValue, string helpName = "N") => new(name)
    {
        Description = description,
        HelpName = helpName,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseInteger(result, name, 1, int.MaxValue, AtLeastOne),
    };

    /// <summary>An optional integer in [<paramref name="min"/>, <paramref name="max"/>]; null when not given.</summary>
    public static Option<int?> OptionalInteger(string name, string description, string helpName, int min, int max, string expected) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => ParseInteger(result, name, min, max, expected),
    };

    /// <summary>--digit D, 0–9: a digit for a model conditioned on it.</summary>
    public static Option<int?> Digit(string description) => OptionalInteger("--digit", description, "D", 0, 9, "a digit 0-9");

    /// <summary>Throws <see cref="InputException"/> when --digit was given for a model not conditioned on the digit.</summary>
    public static void CheckDigitFits(int? digit, ModelKind model, string expected)
    {
        if (digit is { } d && model != ModelKind.Cvae)
            throw new InputException($"--digit: {d} needs a model conditioned on the digit; expected {expected}, but the model is {model.LowerName()}");
    }

    public static Option<int> Seed(string description) => new("--seed")
    {
        Description = description,
        HelpName = "S",
        DefaultValueFactory = _ => 0,
    };

    public static int ParseInteger(ArgumentResult result, string name, int min, int max, string expected)
    {
        var token = result.Tokens[^1].Value;
        if (int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max) return value;
        result.AddError(Invalid(name, token, expected));
        return default;
    }

    private static string Invalid(string name, string token, string expected) => $"{name}: {token} is not valid; expected {expected}";
}
