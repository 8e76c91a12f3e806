using SweepRunner.Models.Data;

namespace SweepRunner.Models.Tests.Data;

[Collection(RunAloneDefinition.Name)]
public sealed class FindBundledTests
{
    [Fact]
    public void Find_bundled_walks_up_from_a_nested_directory()
    {
        var folder = MnistDataset.FindBundled();
        var nested = Path.Combine(folder, "..", "..", "src", "Models");

        Assert.True(File.Exists(Path.Combine(folder, "SHA256SUMS")));
        Assert.Equal(folder, MnistDataset.FindBundled(nested));
    }

    [Fact]
    public void Find_bundled_failure_says_where_it_looked_and_mentions_data_option()
    {
        using var temp = new TempDirectory();
        var previous = Environment.CurrentDirectory;
        try
        {
            // The current directory is the second place searched; point it away from the repository.
            Environment.CurrentDirectory = temp.Path;

            var error = Assert.Throws<DatasetException>(() => MnistDataset.FindBundled(temp.Path));

            Assert.Contains(temp.Path, error.Message, StringComparison.Ordinal);
            Assert.Contains("data/mnist/SHA256SUMS", error.Message, StringComparison.Ordinal);
            Assert.Contains("--data", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }
}
