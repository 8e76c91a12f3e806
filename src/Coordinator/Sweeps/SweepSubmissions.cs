using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Coordinator.Sweeps;

/// <summary>
/// Takes a sweep file in: parses it (errors name line and column), stores it as submitted and as parsed (the canonical
/// JSON its grain reads back), and has its grain expand and start it; or only checks it (<see cref="Check"/>).
/// </summary>
public sealed class SweepSubmissions(SweepStore sweeps, IGrainFactory grains)
{
    /// <summary>The started sweep. Throws <see cref="SweepSpecException"/> with every problem of the file.</summary>
    /// <param name="fileName">How errors name the file.</param>
    public async Task<SweepSnapshot> SubmitAsync(string yaml, string fileName, CancellationToken cancellationToken = default)
    {
        var (spec, name, metric) = Check(yaml, fileName);
        var record = await sweeps.CreateAsync(
            new NewSweep(name, yaml, spec.Method.LowerName(), metric.Name, metric.Goal, SweepSpecJson.Write(spec), spec.RunCap, spec.TrialTimeout),
            [], cancellationToken);
        return await grains.GetGrain<ISweepGrain>(record.Id).StartAsync();
    }

    /// <summary>
    /// Parses a sweep file as <see cref="SubmitAsync"/> does, storing and starting nothing. Throws
    /// <see cref="SweepSpecException"/> with every problem of the file.
    /// </summary>
    public static CheckedSweep Check(string yaml, string fileName)
    {
        var spec = SweepSpecParser.Parse(yaml, fileName).Spec;
        return new CheckedSweep(spec, spec.Name ?? Path.GetFileNameWithoutExtension(fileName), spec.Metric ?? SweepMetric.Default);
    }
}
