using SweepRunner.Models.Data;

namespace SweepRunner.Models.Tests.Data;

public sealed class MnistDatasetTests(BundledMnistFixture bundled) : IClassFixture<BundledMnistFixture>
{
    [Fact]
    public void Bundled_mnist_has_60000_train_and_10000_test_images_of_28x28()
    {
        var mnist = bundled.Dataset;

        Assert.Equal(bundled.Folder, mnist.Folder);
        Assert.Equal(60000, mnist.Train.Count);
        Assert.Equal(10000, mnist.Test.Count);
        foreach (var split in new[] { mnist.Train, mnist.Test })
        {
            Assert.Equal(28, split.Rows);
            Assert.Equal(28, split.Columns);
            Assert.Equal(784, split.PixelsPerImage);
            Assert.Equal(split.Count * 784, split.RawPixels.Length);
            Assert.Equal(split.Count, split.Labels.Length);
        }
    }

    [Fact]
    public void Bundled_mnist_has_the_published_label_counts()
    {
        Assert.Equal(
            [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
            bundled.Dataset.Train.LabelCounts());
        Assert.Equal(
            [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
            bundled.Dataset.Test.LabelCounts());
    }

    [Fact]
    public void Bundled_mnist_pixels_span_exactly_zero_to_one()
    {
        foreach (var split in new[] { bundled.Dataset.Train, bundled.Dataset.Test })
        {
            Assert.Equal(0f, split.ScaledPixels().Min());
            Assert.Equal(1f, split.ScaledPixels().Max());
        }
    }

    [Fact]
    public void Bundled_mnist_is_checksum_verified_with_a_stable_content_hash()
    {
        var again = MnistDataset.Load(bundled.Folder);

        Assert.True(bundled.Dataset.ChecksumsVerified);
        Assert.Matches("^[0-9a-f]{64}$", bundled.Dataset.ContentHash);
        Assert.Equal(bundled.Dataset.ContentHash, again.ContentHash);
    }

    [Fact]
    public void Folder_without_sha256sums_loads_unverified()
    {
        using var temp = new TempDirectory();
        IdxFixtures.WriteSyntheticMnist(temp.Path, gzip: false);

        var data = MnistDataset.Load(temp.Path);

        Assert.False(data.ChecksumsVerified);
        Assert.Equal(20, data.Train.Count);
        Assert.Equal(10, data.Test.Count);
        Assert.Equal(IdxFixtures.Rows, data.Train.Rows);
        Assert.Equal(IdxFixtures.Columns, data.Train.Columns);
        Assert.Equal([2, 2, 2, 2, 2, 2, 2, 2, 2, 2], data.Train.LabelCounts());
        Assert.Equal(37 / 255f, data.Train.ScaledPixels()[1]);
        Assert.Equal(1f, data.Test.ScaledPixels()[^1]);
        Assert.Matches("^[0-9a-f]{64}$", data.ContentHash);
    }

    [Fact]
    public void Gzip_is_recognised_by_magic_bytes_not_by_name()
    {
        using var temp = new TempDirectory();
        var path = temp.File("labels.idx");
        File.WriteAllBytes(path, IdxFixtures.Gzip(IdxFixtures.Labels(7)));

        var labels = IdxReader.Read(path);

        Assert.Equal([7], labels.Dimensions);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], labels.Data);
    }

    [Fact]
    public void Verified_synthetic_folder_prefers_gz_and_accepts_raw_files_listed_by_raw_name()
    {
        using var temp = new TempDirectory();
        IdxFixtures.WriteSyntheticMnist(temp.Path, gzip: true);
        File.Delete(temp.File(IdxFixtures.TestLabels + ".gz"));
        IdxFixtures.Write(temp.Path, IdxFixtures.TestLabels, IdxFixtures.Labels(10), gzip: false);
        // A raw twin of a .gz file must be ignored, so it may hold anything.
        File.WriteAllText(temp.File(IdxFixtures.TrainImages), "not idx");
        IdxFixtures.WriteSums(
            temp.Path,
            IdxFixtures.TrainImages + ".gz",
            IdxFixtures.TrainLabels + ".gz",
            IdxFixtures.TestImages + ".gz",
            IdxFixtures.TestLabels);

        var data = MnistDataset.Load(temp.Path);

        Assert.True(data.ChecksumsVerified);
        Assert.Equal(10, data.Test.Count);
    }

    [Fact]
    public void A_head_has_the_first_images_of_each_split_and_an_identity_of_its_own()
    {
        var mnist = bundled.Dataset;

        var head = mnist.Head(64, 32);

        Assert.Equal((64, 32), (head.Train.Count, head.Test.Count));
        Assert.Equal(mnist.Train.RawPixels.AsSpan(0, 64 * 784).ToArray(), head.Train.RawPixels);
        Assert.Equal(mnist.Test.Labels.AsSpan(0, 32).ToArray(), head.Test.Labels);
        Assert.NotEqual(mnist.ContentHash, head.ContentHash);
        Assert.NotEqual(mnist.Head(64, 64).ContentHash, head.ContentHash);
        Assert.Equal(mnist.Head(64, 32).ContentHash, head.ContentHash);
    }
}
