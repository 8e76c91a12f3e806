namespace SweepRunner.Models.Tests.Data;

/// <summary>Data tests that must not overlap other tests: they change the process-wide current directory or measure time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunAloneDefinition
{
    public const string Name = "Data tests that run alone";
}
