using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests.BadInputs;

/// <summary>
/// Damaged checkpoints and MNIST folders: exit 2 with the file and what is wrong with it, no output written, and the
/// damaged file left as it was (nothing "repaired" behind the user's back). Rows of the bad-input catalogue
/// (docs/reliability.md).
/// </summary>
public sealed class DamagedFileBadInputTests(DamagedFileBadInputTests.Checkpoint trained) : IClassFixture<DamagedFileBadInputTests.Checkpoint>, IDisposable
{
    private readonly TempDirectory temp = new();

    public static TheoryData<string, string, string> Checkpoints => new()
    {
        { "sample", "truncated", "corrupt checkpoint (SHA-256 of the contents does not match)" },
        { "sample", "flipped", "corrupt checkpoint (SHA-256 of the contents does not match)" },
        { "sample", "empty", "not a SweepRunner checkpoint (wrong magic bytes)" },
        { "train", "truncated", "corrupt checkpoint (SHA-256 of the contents does not match)" },
    };

    public static TheoryData<string, string> Datasets => new()
    {
        { "missing-file", "train-images-idx3-ubyte(.gz): file not found" },
        { "checksum", "train-labels-idx1-ubyte.gz: checksum mismatch: expected sha256" },
        { "truncated-data", "train-images-idx3-ubyte: truncated: expected 47040000 bytes of data, found 100000" },
        { "truncated-header", "train-images-idx3-ubyte: truncated: expected 4 bytes of header, found 2" },
        { "type-code", "train-labels-idx1-ubyte: unsupported type code 0x09 (signed byte): only 0x08 (unsigned byte) is supported" },
        { "count", "t10k-labels-idx1-ubyte: count mismatch: 9000 labels, but" },
        { "label", "train-labels-idx1-ubyte: bad label 12 at index 0: labels must be 0..9" },
    };

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public async Task A_damaged_checkpoint_is_refused_and_nothing_is_written(string command, string damage, string expected)
    {
        string checkpoint = temp.File(damage + ".ckpt");
        await File.WriteAllBytesAsync(checkpoint, Damage(await File.ReadAllBytesAsync(trained.Path), damage));
        byte[] hash = await HashAsync(checkpoint);
        string output = temp.File("out");

        var result = command == "sample"
            ? await Sweep.RunAsync("sample", "--checkpoint", checkpoint, "--out", output)
            : await Sweep.RunAsync("train", "--weights", checkpoint, "--out", output);

        CommandAssert.BadInput(result, $"{checkpoint}: {expected}");
        Assert.False(Path.Exists(output), $"{output} was written");
        Assert.Equal(hash, await HashAsync(checkpoint));
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public async Task A_damaged_mnist_folder_is_refused_naming_the_file_and_nothing_is_written(string damage, string expected)
    {
        string folder = temp.File(damage);
        await DamagedMnist.WriteAsync(folder, damage);
        var hashes = await Task.WhenAll(Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(HashAsync));
        string output = temp.File("out");

        var result = await Sweep.RunAsync("train", "--data", folder, "--epochs", "1", "--train-limit", "100", "--out", output);

        CommandAssert.BadInput(result, $"--data: {folder}/{expected}");
        Assert.False(Path.Exists(output), $"{output} was written");
        Assert.Equal(hashes, await Task.WhenAll(Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(HashAsync)));
    }

    [Fact]
    public async Task An_mnist_folder_that_does_not_exist_is_refused()
    {
        var result = await Sweep.RunAsync("train", "--data", temp.File("absent"), "--out", temp.File("out"));

        CommandAssert.BadInput(result, $"--data: {temp.File("absent")}: folder not found");
        Assert.False(Path.Exists(temp.File("out")));
    }

    public void Dispose() => temp.Dispose();

    private static byte[] Damage(byte[] checkpoint, string damage) => damage switch
    {
        "truncated" => checkpoint[..(checkpoint.Length / 2)],
        // Four bytes inside the weights: the header still parses, only the hash can tell.
        "flipped" => [.. checkpoint[..^100], .. checkpoint[^100..^96].Select(b => (byte)~b), .. checkpoint[^96..]],
        "empty" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(damage), damage, "unknown damage"),
    };

    private static async Task<byte[]> HashAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return await SHA256.HashDataAsync(stream);
    }

    /// <summary>One <c>sweep train</c> of the MLP for 1 epoch on 300 images: the checkpoint the tests damage.</summary>
    public sealed class Checkpoint : IAsyncLifetime, IDisposable
    {
        private readonly TempDirectory temp = new();

        public string Path => temp.File("run/checkpoint");

        public async Task InitializeAsync()
        {
            var result = await Sweep.RunAsync("train", "--epochs", "1", "--train-limit", "300", "--out", temp.File("run"));
            Assert.Equal(ExitCodes.Ok, result.ExitCode);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => temp.Dispose();
    }

    /// <summary>Copies of the bundled MNIST with one file damaged, written uncompressed where the damage needs it.</summary>
    private static class DamagedMnist
    {
        private const string TrainImages = "train-images-idx3-ubyte";
        private const string TrainLabels = "train-labels-idx1-ubyte";
        private const string TestLabels = "t10k-labels-idx1-ubyte";

        public static async Task WriteAsync(string folder, string damage)
        {
            string bundled = RepositoryFiles.Find("data/mnist");
            Directory.CreateDirectory(folder);
            // Without SHA256SUMS, except where the checksum is the point: the reader's own checks come next.
            foreach (var file in Directory.GetFiles(bundled, "*.gz"))
                File.Copy(file, System.IO.Path.Combine(folder, System.IO.Path.GetFileName(file)));
            switch (damage)
            {
                case "missing-file":
                    File.Delete(Gz(folder, TrainImages));
                    break;
                case "checksum":
                    File.Copy(System.IO.Path.Combine(bundled, "SHA256SUMS"), System.IO.Path.Combine(folder, "SHA256SUMS"));
                    await using (var stream = File.OpenWrite(Gz(folder, TrainLabels)))
                    {
                        stream.Position = 100;
                        stream.WriteByte(0x42);
                    }
                    break;
                case "truncated-data":
                    await ReplaceAsync(folder, TrainImages, raw => raw[..100_016]);
                    break;
                case "truncated-header":
                    await ReplaceAsync(folder, TrainImages, raw => raw[..2]);
                    break;
                case "type-code":
                    await ReplaceAsync(folder, TrainLabels, raw => [0, 0, 0x09, 0x01, .. raw[4..]]);
                    break;
                case "count":
                    await ReplaceAsync(folder, TestLabels, raw =>
                    {
                        byte[] fewer = raw[..(8 + 9000)];
                        BinaryPrimitives.WriteInt32BigEndian(fewer.AsSpan(4), 9000);
                        return fewer;
                    });
                    break;
                case "label":
                    await ReplaceAsync(folder, TrainLabels, raw =>
                    {
                        raw[8] = 12;
                        return raw;
                    });
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(damage), damage, "unknown damage");
            }
        }

        private static string Gz(string folder, string name) => System.IO.Path.Combine(folder, name + ".gz");

        /// <summary>Replaces NAME.gz with NAME, uncompressed and changed by <paramref name="change"/>.</summary>
        private static async Task ReplaceAsync(string folder, string name, Func<byte[], byte[]> change)
        {
            byte[] raw;
            await using (var gzip = new GZipStream(File.OpenRead(Gz(folder, name)), CompressionMode.Decompress))
            using (var buffer = new MemoryStream())
            {
                await gzip.CopyToAsync(buffer);
                raw = buffer.ToArray();
            }
            File.Delete(Gz(folder, name));
            await File.WriteAllBytesAsync(System.IO.Path.Combine(folder, name), change(raw));
        }
    }
}
