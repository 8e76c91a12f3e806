namespace SweepRunner.Cli.Tests;

/// <summary>Tests that train share one trained MLP and run one after another (torch uses every core).</summary>
[CollectionDefinition(Name)]
public sealed class TrainingGroup : ICollectionFixture<TrainedMlpFixture>
{
    public const string Name = "training";
}
