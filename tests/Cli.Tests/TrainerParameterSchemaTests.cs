using System.Collections.Immutable;
using System.CommandLine;
using Spectre.Console.Testing;
using SweepRunner.Cli.Commands;
using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Training;
using SweepRunner.Reports;
using SweepRunner.Worker.Training;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// Every trainer parameter is read from its one definition (<see cref="TrainerParameters"/>): the sweep parser takes
/// it with its type, <c>sweep train</c> has its option with its help and default, the worker decodes it into the
/// property it sets, and the report's defaults are its defaults. A parameter added to the schema is checked here
/// without touching this test.
/// </summary>
public sealed class TrainerParameterSchemaTests
{
    public static TheoryData<string> Parameters() => [.. TrainerParameters.All.Select(parameter => parameter.Name)];

    [Theory]
    [MemberData(nameof(Parameters))]
    public void The_sweep_parser_takes_the_parameter_with_its_type(string name)
    {
        var parameter = TrainerParameters.Find(name)!;
        var value = OtherThanDefault(parameter);

        var spec = SweepSpecParser.Parse($"method: grid\nparameters:\n  {name}: {{value: {value}}}\n", "schema.yaml").Spec;
        var refused = Assert.Throws<SweepSpecException>(() => SweepSpecParser.Parse($"method: grid\nparameters:\n  {name}: {{value: no-such-value}}\n", "schema.yaml"));

        Assert.Equal(value, Assert.IsType<ConstantDomain>(spec.Parameters.Single().Domain).Value);
        Assert.Equal($"parameters.{name}.value: expected {parameter.Type.Expected}, found no-such-value", $"{refused.Errors.Single().Path}: {refused.Errors.Single().Message}");
    }

    [Theory]
    [MemberData(nameof(Parameters))]
    public void Sweep_train_has_the_option_with_its_help_and_default_and_reads_it_into_the_config(string name)
    {
        var parameter = TrainerParameters.Find(name)!;
        var value = OtherThanDefault(parameter);
        var train = TrainCommand.Create(new TestConsole());
        var options = new TrainerParameterOptions();

        var option = Assert.Single(train.Options, option => option.Name == "--" + name.Replace('_', '-'));
        var parsed = train.Parse([option.Name, value.ToString()]);

        Assert.Equal($"{parameter.Help} [default: {parameter.DescribeDefault()}]", option.Description);
        Assert.Empty(parsed.Errors);
        Assert.Contains(options.Options, generated => generated.Name == option.Name);
        var command = new Command("train");
        foreach (var generated in options.Options) command.Options.Add(generated);
        Assert.Equal(value, parameter.ValueIn(options.ReadConfig(command.Parse([option.Name, value.ToString()]))));
        Assert.Equal(Defaults(), Values(options.ReadConfig(command.Parse([]))));
    }

    [Theory]
    [MemberData(nameof(Parameters))]
    public void The_worker_decodes_the_parameter_into_the_property_it_sets_and_nothing_else(string name)
    {
        var parameter = TrainerParameters.Find(name)!;
        var value = OtherThanDefault(parameter);

        var training = TrialTrainingConfig.FromJson(new TrialConfig([new(name, value)]).CanonicalJson).Training;

        Assert.Equal(Defaults().SetItem(name, value), Values(training));
    }

    [Theory]
    [MemberData(nameof(Parameters))]
    public void The_report_reads_the_parameter_with_the_schemas_default(string name)
    {
        var parameter = TrainerParameters.Find(name)!;
        var value = OtherThanDefault(parameter);

        var unset = new TrialView(Trial("{}"), MetricNames.TestTotal);
        var set = new TrialView(Trial(new TrialConfig([new(name, value)]).CanonicalJson), MetricNames.TestTotal);

        Assert.Equal(Defaults(), Values(unset.Training));
        Assert.Equal(value, parameter.ValueIn(set.Training));
        Assert.Equal(
            (TrainerParameters.Beta.Default!.AsNumber, TrainerParameters.Model.Default!.ToString(), TrainerParameters.Loss.Default!.ToString(), TrainerParameters.Seed.Default!.ToString()),
            (unset.Beta, unset.Model, unset.Loss, unset.Seed));
    }

    [Fact]
    public void The_defaults_are_the_training_configs_initial_values()
    {
        Assert.Equal(Values(new TrainingConfig()), Defaults());
        Assert.Equal(TrainerParameters.All.Count, typeof(TrainingConfig).GetProperties().Count(property => property.CanWrite));
    }

    /// <summary>A value the parameter takes that is not its default, so that reading it shows.</summary>
    private static ParameterValue OtherThanDefault(TrainerParameter parameter) => parameter.Type switch
    {
        ChoiceType choice => new StringValue(choice.Choices.First(option => option != parameter.Default?.ToString())),
        IntegerType => new IntegerValue(parameter.Default is IntegerValue { Value: var number } ? number + 3 : 1000),
        PositiveRealType => new RealValue(parameter.Default?.AsNumber is { } number ? number * 2.5 : 0.5),
        var type => throw new InvalidOperationException($"{parameter.Name}: no test value for a {type.GetType().Name}"),
    };

    private static ImmutableDictionary<string, ParameterValue?> Defaults() =>
        TrainerParameters.All.ToImmutableDictionary(parameter => parameter.Name, parameter => parameter.Default);

    private static ImmutableDictionary<string, ParameterValue?> Values(TrainingConfig config) =>
        TrainerParameters.All.ToImmutableDictionary(parameter => parameter.Name, parameter => parameter.ValueIn(config));

    private static ReportTrial Trial(string configJson) =>
        new(Guid.NewGuid(), 1, configJson, "pending", null, null, null, null, null, null, null, null, null, []);
}
