using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Coordinator.Sweeps;

/// <summary>
/// Takes a sweep file in: parses it (errors name line and column), stores it as submitted and as parsed (the canonical
/// JSON its grain reads back), and has its grain expand and start it.
/// </summary>
public sealed class SweepSubmissions(SweepStore sweeps, IGrainFactory grains)
{
    /// <summary>The started sweep. Throws <see cref="SweepSpecException"/> with every problem of the file.</summary>
    /// <param name="fileName">How errors name the file.</param>
    public async Task<SweepSnapshot> SubmitAsync(string yaml, string fileName, CancellationToken cancellationToken = default)
    {
        var spec = SweepSpecParser.Parse(yaml, fileName).Spec;
        var metric = spec.Metric ?? SweepMetric.Default;
        var name = spec.Name ?? Path.GetFileNameWithoutExtension(fileName);
        var record = await sweeps.CreateAsync(
            new NewSweep(name, yaml, spec.Method.LowerName(), metric.Name, metric.Goal, SweepSpecJson.Write(spec), spec.RunCap, spec.TrialTimeout),
            [], cancellationToken);
        return await grains.GetGrain<ISweepGrain>(record.Id).StartAsync();
    }
}
