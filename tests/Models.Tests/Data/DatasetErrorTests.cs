using SweepRunner.Models.Data;

namespace SweepRunner.Models.Tests.Data;

public sealed class DatasetErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Truncated_data_is_reported_with_expected_and_found_sizes()
    {
        IdxFixtures.WriteSyntheticMnist(_temp.Path, gzip: false);
        var images = IdxFixtures.Images(20);
        var path = IdxFixtures.Write(_temp.Path, IdxFixtures.TrainImages, images[..^5], gzip: false);

        var error = Assert.Throws<DatasetException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"truncated: expected {20 * 12} bytes of data, found {20 * 12 - 5}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        var path = IdxFixtures.Write(_temp.Path, "short", IdxFixtures.Images(2)[..10], gzip: false);

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated: expected 16 bytes of header, found 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gzip_stream_that_ends_early_is_reported_as_truncated()
    {
        var bundled = File.ReadAllBytes(IdxFixtures.BundledFile(IdxFixtures.TestImages + ".gz"));
        var path = _temp.File(IdxFixtures.TestImages + ".gz");
        File.WriteAllBytes(path, bundled[..(bundled.Length / 2)]);

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated: expected 7840000 bytes of data, found ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_gzip_stream_is_reported()
    {
        var bytes = File.ReadAllBytes(IdxFixtures.BundledFile(IdxFixtures.TestImages + ".gz"));
        bytes[5000] ^= 0xFF;
        bytes[5001] ^= 0x55;
        var path = _temp.File(IdxFixtures.TestImages + ".gz");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt gzip stream: expected 7840000 bytes of data, decompressed ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_are_reported()
    {
        var path = IdxFixtures.Write(_temp.Path, "long", [.. IdxFixtures.Labels(4), 1, 2, 3], gzip: true);

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("trailing bytes: expected 4 bytes of data, found 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_magic_is_reported_with_the_four_bytes_in_hex()
    {
        var idx = IdxFixtures.Labels(3);
        idx[0] = 0x12;
        idx[1] = 0xAB;
        var path = IdxFixtures.Write(_temp.Path, IdxFixtures.TrainLabels, idx, gzip: false);

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("wrong magic 12 AB 08 01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_code_is_reported_by_name()
    {
        var path = IdxFixtures.Write(_temp.Path, "floats", IdxFixtures.Idx(0x0D, [1], [0, 0, 0, 0]), gzip: true);

        var error = Assert.Throws<DatasetException>(() => IdxReader.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("unsupported type code 0x0D (float32)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Images_with_wrong_dims_are_reported()
    {
        IdxFixtures.WriteSyntheticMnist(_temp.Path, gzip: true);
        var path = IdxFixtures.Write(_temp.Path, IdxFixtures.TestImages, IdxFixtures.Idx(0x08, [10, 12], new byte[120]), gzip: true);

        var error = Assert.Throws<DatasetException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("wrong dims: expected 3 dimensions (count, rows, cols), found 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checksum_mismatch_names_expected_and_actual_hash()
    {
        IdxFixtures.WriteSyntheticMnist(_temp.Path, gzip: true);
        var names = new[] { IdxFixtures.TrainImages, IdxFixtures.TrainLabels, IdxFixtures.TestImages, IdxFixtures.TestLabels }
            .Select(n => n + ".gz").ToArray();
        IdxFixtures.WriteSums(_temp.Path, names);
        var expected = File.ReadAllLines(_temp.File("SHA256SUMS"))[1][..64];
        var path = IdxFixtures.Write(_temp.Path, IdxFixtures.TrainLabels, IdxFixtures.Labels(20)[..^1], gzip: true);
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

        var error = Assert.Throws<DatasetException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum mismatch", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(actual, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundled_file_altered_by_one_byte_fails_its_checksum()
    {
        foreach (var file in Directory.GetFiles(MnistDataset.FindBundled()))
        {
            File.Copy(file, _temp.File(Path.GetFileName(file)));
        }

        var path = _temp.File(IdxFixtures.TestLabels + ".gz");
        var bytes = File.ReadAllBytes(path);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DatasetException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("checksum mismatch: expected sha256 b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_not_listed_in_sha256sums_is_reported()
    {
        IdxFixtures.WriteSyntheticMnist(_temp.Path, gzip: true);
        // The test labels are listed, but under their raw name while the .gz file is the one used.
        IdxFixtures.Write(_temp.Path, IdxFixtures.TestLabels, IdxFixtures.Labels(10), gzip: false);
        IdxFixtures.WriteSums(
            _temp.Path,
            IdxFixtures.TrainImages + ".gz",
            IdxFixtures.TrainLabels + ".gz",
            IdxFixtures.TestImages + ".gz",
            IdxFixtures.TestLabels);
        var path = _temp.File(IdxFixtures.TestLabels + ".gz");

        var error = Assert.Throws<DatasetException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not listed in SHA256SUMS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported_with_both_names_tried()
    {
        IdxFixtures.WriteSyntheticMnist(_temp.Path, gzip: true);
        File.Delete(_temp.File(IdxFixtures.TrainImages + ".gz"));

        var error = Assert.Throws<DatasetException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(_temp.File(IdxFixtures.TrainImages), error.FilePath);
        Assert.Contains(_temp.File(IdxFixtures.TrainImages) + "(.gz): file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_folder_is_reported()
    {
        var folder = _temp.File("nowhere");

        var error = Assert.Throws<DatasetException>(() => MnistDataset.Load(folder));

        Assert.Contains(folder + ": folder not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_and_label_count_mismatch_is_reported()
    {
        IdxFixtures.WriteSyntheticMnist(_temp.Path, gzip: false);
        var path = IdxFixtures.Write(_temp.Path, IdxFixtures.TestLabels, IdxFixtures.Labels(9), gzip: false);

        var error = Assert.Throws<DatasetException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("count mismatch: 9 labels, but", error.Message, StringComparison.Ordinal);
        Assert.Contains(_temp.File(IdxFixtures.TestImages) + " has 10 images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_and_test_image_size_mismatch_is_reported()
    {
        IdxFixtures.WriteSyntheticMnist(_temp.Path, gzip: false);
        var path = IdxFixtures.Write(_temp.Path, IdxFixtures.TestImages, IdxFixtures.Images(10, rows: 5, columns: 5), gzip: false);

        var error = Assert.Throws<DatasetException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("image size mismatch: 5x5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_label_value_is_reported_with_its_index()
    {
        IdxFixtures.WriteSyntheticMnist(_temp.Path, gzip: true);
        var labels = IdxFixtures.Labels(20);
        labels[8 + 13] = 10;
        labels[8 + 17] = 200;
        var path = IdxFixtures.Write(_temp.Path, IdxFixtures.TrainLabels, labels, gzip: true);

        var error = Assert.Throws<DatasetException>(() => MnistDataset.Load(_temp.Path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("bad label 10 at index 13", error.Message, StringComparison.Ordinal);
    }
}
