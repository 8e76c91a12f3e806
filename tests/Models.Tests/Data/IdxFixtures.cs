using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using SweepRunner.Models.Data;

namespace SweepRunner.Models.Tests.Data;

/// <summary>Writes small IDX files and MNIST-shaped folders for the loader tests.</summary>
public static class IdxFixtures
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    public const int Rows = 4;
    public const int Columns = 3;

    public static byte[] Idx(byte type, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        }

        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static byte[] Images(int count, int rows = Rows, int columns = Columns)
    {
        var data = new byte[count * rows * columns];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i * 37 % 256);
        }

        data[0] = 0;
        data[^1] = 255;
        return Idx(0x08, [count, rows, columns], data);
    }

    public static byte[] Labels(int count)
    {
        var data = new byte[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = (byte)(i % 10);
        }

        return Idx(0x08, [count], data);
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>Writes the four files (raw, or with .gz appended) for 20 training and 10 test images.</summary>
    public static void WriteSyntheticMnist(string folder, bool gzip)
    {
        Write(folder, TrainImages, Images(20), gzip);
        Write(folder, TrainLabels, Labels(20), gzip);
        Write(folder, TestImages, Images(10), gzip);
        Write(folder, TestLabels, Labels(10), gzip);
    }

    /// <summary>Writes NAME.gz (gzip) or NAME (raw) and returns the path written.</summary>
    public static string Write(string folder, string name, byte[] idx, bool gzip)
    {
        var path = Path.Combine(folder, gzip ? name + ".gz" : name);
        File.WriteAllBytes(path, gzip ? Gzip(idx) : idx);
        return path;
    }

    /// <summary>Writes SHA256SUMS for the given files of the folder, in sha256sum format.</summary>
    public static void WriteSums(string folder, params string[] fileNames)
    {
        var lines = fileNames.Select(name =>
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, name)))) + "  " + name);
        File.WriteAllLines(Path.Combine(folder, "SHA256SUMS"), lines);
    }

    /// <summary>
    /// Writes the first <paramref name="trainCount"/> training and <paramref name="testCount"/> test images and labels
    /// of the bundled MNIST (raw IDX, no SHA256SUMS): training on it evaluates a few hundred test images per epoch
    /// instead of 10,000.
    /// </summary>
    public static void WriteBundledSubset(string folder, int trainCount, int testCount)
    {
        foreach (var (name, count) in new[] { (TrainImages, trainCount), (TrainLabels, trainCount), (TestImages, testCount), (TestLabels, testCount) })
        {
            using var gzip = new GZipStream(File.OpenRead(BundledFile(name + ".gz")), CompressionMode.Decompress);
            using var bytes = new MemoryStream();
            gzip.CopyTo(bytes);
            var idx = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
            // Magic (its 4th byte: the number of dimensions), the dimensions (big-endian int32), then the items.
            int dimensionCount = idx[3];
            int itemSize = 1;
            for (int i = 1; i < dimensionCount; i++) itemSize *= BinaryPrimitives.ReadInt32BigEndian(idx[(4 + 4 * i)..]);
            int headerSize = 4 + 4 * dimensionCount;
            var subset = idx[..(headerSize + count * itemSize)].ToArray();
            BinaryPrimitives.WriteInt32BigEndian(subset.AsSpan(4), count);
            Write(folder, name, subset, gzip: false);
        }
    }

    public static string BundledFile(string name) => Path.Combine(MnistDataset.FindBundled(), name);
}
