using SweepRunner.Models.Tests.Data;

namespace SweepRunner.Models.Tests;

/// <summary>Tests that train share one loaded MNIST and run one after another (torch uses every core).</summary>
[CollectionDefinition(Name)]
public sealed class MnistTrainingGroup : ICollectionFixture<BundledMnistFixture>
{
    public const string Name = "mnist";
}
