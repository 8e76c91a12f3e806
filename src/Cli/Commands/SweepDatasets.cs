using Microsoft.Extensions.Configuration;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Models.Data;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// Checks a sweep's data sets against this host's dataset roots (<see cref="DatasetRoots"/>, configured by the
/// environment's <c>Worker__DatasetRoots</c>) before anything runs: <c>sweep run</c> trains them here, and
/// <c>sweep validate</c> says what a run here would refuse. Workers check each trial again; <c>sweep submit</c> does not,
/// since the roots that count are the worker hosts'.
/// </summary>
internal static class SweepDatasets
{
    /// <summary>False after writing one <c>error:</c> line per data set outside the roots to <paramref name="error"/> (exit code 2).</summary>
    public static bool TryCheck(string path, SweepSpec spec, TextWriter error)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var roots = DatasetRoots.FromConfiguration(configuration[DatasetRoots.ConfigurationKey]);
        bool ok = true;
        foreach (var dataset in Named(spec).Distinct(StringComparer.Ordinal))
        {
            try
            {
                roots.FolderOf(dataset);
            }
            catch (DatasetException ex)
            {
                error.WriteLine($"error: {path}: dataset: {ex.Message}");
                ok = false;
            }
        }
        return ok;
    }

    /// <summary>Every data set a trial of the sweep can name: the sweep-level key and the <c>dataset</c> parameter's values.</summary>
    private static IEnumerable<string> Named(SweepSpec spec)
    {
        if (spec.Dataset is { } sweepLevel) yield return sweepLevel;
        var parameter = spec.Parameters.FirstOrDefault(p => p.Name == TrainerParameterNames.Dataset);
        var values = parameter?.Domain switch
        {
            ConstantDomain constant => [constant.Value],
            CategoricalDomain categorical => categorical.Values,
            _ => [],
        };
        foreach (var value in values.OfType<StringValue>()) yield return value.Value;
    }
}
