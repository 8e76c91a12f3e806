using System.CommandLine;
using System.CommandLine.Parsing;
using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// <c>sweep train</c>'s options for the trainer parameters, one per entry of <see cref="TrainerParameters.All"/>:
/// <c>--latent-dim</c> for <c>latent_dim</c>, described by the parameter's help and default, and checked by its type
/// while parsing, so that a bad value is a parse error (exit 2) whose message names the option.
/// </summary>
internal sealed class TrainerParameterOptions
{
    private readonly IReadOnlyList<(TrainerParameter Parameter, Option<ParameterValue> Option)> options =
        [.. TrainerParameters.All.Select(parameter => (parameter, Create(parameter)))];

    public IEnumerable<Option> Options => options.Select(pair => pair.Option);

    /// <summary><c>--latent-dim</c> for <c>latent_dim</c>.</summary>
    public static string OptionName(ParameterDefinition parameter) => "--" + parameter.Name.Replace('_', '-');

    /// <summary>The config the options describe: those given, over the defaults.</summary>
    public TrainingConfig ReadConfig(ParseResult parseResult) =>
        options.Aggregate(new TrainingConfig(), (config, pair) => parseResult.GetValue(pair.Option) is { } value ? pair.Parameter.Apply(config, value) : config);

    /// <summary>The parameters whose option was typed, as opposed to left to its default.</summary>
    public IReadOnlyList<TrainerParameter> Given(ParseResult parseResult) =>
        [.. options.Where(pair => parseResult.GetResult(pair.Option) is not null).Select(pair => pair.Parameter)];

    private static Option<ParameterValue> Create(TrainerParameter parameter)
    {
        string name = OptionName(parameter);
        var option = new Option<ParameterValue>(name)
        {
            Description = $"{parameter.Help} [default: {parameter.DescribeDefault()}]",
            CustomParser = result => Parse(result, name, parameter),
        };
        // System.CommandLine's own check and help for a fixed set: `<cnn|cvae|mlp>` and "Argument 'x' not recognized".
        if (parameter.Type is ChoiceType choice) option.AcceptOnlyFromAmong([.. choice.Choices]);
        return option;
    }

    private static ParameterValue? Parse(ArgumentResult result, string name, TrainerParameter parameter)
    {
        var token = result.Tokens[^1].Value;
        var value = parameter.Type.Parse(token);
        if (value is null) result.AddError($"{name}: {token} is not valid; expected {parameter.Type.Expected}");
        return value;
    }
}
