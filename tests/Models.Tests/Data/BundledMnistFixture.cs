using SweepRunner.Models.Data;

namespace SweepRunner.Models.Tests.Data;

/// <summary>The bundled MNIST, loaded once per test class.</summary>
public sealed class BundledMnistFixture
{
    public BundledMnistFixture()
    {
        Folder = MnistDataset.FindBundled();
        Dataset = MnistDataset.Load(Folder);
    }

    public string Folder { get; }

    public MnistDataset Dataset { get; }
}
