using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace SweepRunner.Models.Data;

/// <summary>MNIST (or any folder with the same four IDX files, such as Fashion-MNIST): train and test splits.</summary>
public sealed class MnistDataset
{
    /// <summary>Where the bundled MNIST lives, relative to the repository root.</summary>
    public const string DefaultFolderName = "data/mnist";

    private const string ChecksumFileName = "SHA256SUMS";
    private const int Classes = 10;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    // Fixed order: it is also the order of the lines hashed into ContentHash.
    private static readonly string[] FileNames =
    [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ];

    private MnistDataset(string folder, ImageSplit train, ImageSplit test, string contentHash, bool checksumsVerified)
    {
        Folder = folder;
        Train = train;
        Test = test;
        ContentHash = contentHash;
        ChecksumsVerified = checksumsVerified;
    }

    /// <summary>Full path of the folder the files were loaded from.</summary>
    public string Folder { get; }

    /// <summary>The training split (train-*).</summary>
    public ImageSplit Train { get; }

    /// <summary>The test split (t10k-*).</summary>
    public ImageSplit Test { get; }

    /// <summary>Lowercase hex SHA-256 over the four files' names and SHA-256 values: a stable identity of the data.</summary>
    public string ContentHash { get; }

    /// <summary>Whether the files were checked against a SHA256SUMS file in the folder.</summary>
    public bool ChecksumsVerified { get; }

    /// <summary>Loads the four IDX files from <paramref name="folder"/>, each as <c>NAME.gz</c> or else <c>NAME</c>, checking them against SHA256SUMS when the folder has one.</summary>
    /// <exception cref="DatasetException">A file is missing, fails its checksum or is malformed.</exception>
    public static MnistDataset Load(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var fullFolder = Path.GetFullPath(folder);
        if (!Directory.Exists(fullFolder))
        {
            throw new DatasetException(fullFolder, "folder not found");
        }

        var sumsPath = Path.Combine(fullFolder, ChecksumFileName);
        var expected = File.Exists(sumsPath) ? ReadChecksums(sumsPath) : null;

        var files = new LoadedFile[FileNames.Length];
        for (var i = 0; i < files.Length; i++)
        {
            files[i] = LoadFile(fullFolder, FileNames[i], sumsPath, expected);
        }

        var train = ToSplit(files[0], files[1]);
        var test = ToSplit(files[2], files[3]);
        if (test.Rows != train.Rows || test.Columns != train.Columns)
        {
            throw new DatasetException(
                files[2].Path,
                $"image size mismatch: {test.Rows}x{test.Columns}, but the training images ({files[0].Path}) are {train.Rows}x{train.Columns}");
        }

        var manifest = new StringBuilder();
        foreach (var file in files)
        {
            manifest.Append(file.Sha256).Append("  ").Append(Path.GetFileName(file.Path)).Append('\n');
        }

        var contentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToString())));
        return new MnistDataset(fullFolder, train, test, contentHash, expected is not null);
    }

    /// <summary>
    /// The first <paramref name="trainImages"/> and <paramref name="testImages"/> images of each split, for a run that
    /// only exercises the code (a warm-up): its <see cref="ContentHash"/> is its own, so that nothing made from it passes
    /// for a run on the whole dataset.
    /// </summary>
    public MnistDataset Head(int trainImages, int testImages)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{ContentHash} head {trainImages} {testImages}"));
        return new MnistDataset(Folder, Train.Take(trainImages), Test.Take(testImages), Convert.ToHexStringLower(hash), ChecksumsVerified);
    }

    /// <summary>Finds the bundled <c>data/mnist</c> folder by walking up from <paramref name="startDirectory"/> (default: the app's base directory), then from the current directory.</summary>
    /// <exception cref="DatasetException">No parent of either directory holds <c>data/mnist/SHA256SUMS</c>.</exception>
    public static string FindBundled(string? startDirectory = null)
    {
        string[] starts = [Path.GetFullPath(startDirectory ?? AppContext.BaseDirectory), Path.GetFullPath(Environment.CurrentDirectory)];
        foreach (var start in starts)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, DefaultFolderName);
                if (File.Exists(Path.Combine(candidate, ChecksumFileName)))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new DatasetException(
            Path.Combine(starts[0], DefaultFolderName, ChecksumFileName),
            $"bundled MNIST not found: looked for {DefaultFolderName}/{ChecksumFileName} in {starts[0]}, {starts[1]} "
            + "and all their parent directories; give the data folder with --data <folder>");
    }

    private static LoadedFile LoadFile(string folder, string name, string sumsPath, Dictionary<string, string>? expected)
    {
        var rawPath = Path.Combine(folder, name);
        var path = rawPath + ".gz";
        if (!File.Exists(path))
        {
            path = rawPath;
            if (!File.Exists(path))
            {
                throw DatasetException.NotFoundEitherWay(rawPath);
            }
        }

        var bytes = IdxReader.ReadAllBytes(path);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (expected is not null)
        {
            var listedName = Path.GetFileName(path);
            if (!expected.TryGetValue(listedName, out var want))
            {
                throw new DatasetException(path, $"not listed in {ChecksumFileName} ({sumsPath})");
            }

            if (want != sha256)
            {
                throw new DatasetException(
                    path, $"checksum mismatch: expected sha256 {want} (from {sumsPath}), actual {sha256}");
            }
        }

        return new LoadedFile(path, sha256, IdxReader.Parse(bytes, path));
    }

    private static ImageSplit ToSplit(LoadedFile images, LoadedFile labels)
    {
        var imageDims = images.Content.Dimensions;
        if (imageDims.Length != 3)
        {
            throw new DatasetException(
                images.Path, $"wrong dims: expected 3 dimensions (count, rows, cols), found {imageDims.Length}");
        }

        if (imageDims[1] == 0 || imageDims[2] == 0)
        {
            throw new DatasetException(images.Path, $"wrong dims: images of {imageDims[1]}x{imageDims[2]} pixels");
        }

        var labelDims = labels.Content.Dimensions;
        if (labelDims.Length != 1)
        {
            throw new DatasetException(
                labels.Path, $"wrong dims: expected 1 dimension (count), found {labelDims.Length}");
        }

        if (labelDims[0] != imageDims[0])
        {
            throw new DatasetException(
                labels.Path,
                $"count mismatch: {labelDims[0]} labels, but {images.Path} has {imageDims[0]} images");
        }

        var labelData = labels.Content.Data;
        var bad = labelData.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(Classes - 1));
        if (bad >= 0)
        {
            throw new DatasetException(
                labels.Path,
                $"bad label {labelData[bad]} at index {bad}: labels must be 0..{Classes - 1}");
        }

        return new ImageSplit(images.Content.Data, labelData, imageDims[1], imageDims[2]);
    }

    private static Dictionary<string, string> ReadChecksums(string sumsPath)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(sumsPath);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // sha256sum writes "<hex>  <name>", or "<hex> *<name>" in binary mode.
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var hex = space > 0 ? line[..space] : line;
            var name = space > 0 ? line[(space + 1)..].TrimStart(' ', '*') : string.Empty;
            if (hex.Length != 64 || hex.AsSpan().ContainsAnyExcept(HexDigits) || name.Length == 0)
            {
                throw new DatasetException(
                    sumsPath, $"malformed line {i + 1}: expected \"<64 hex digits>  <file name>\", found \"{lines[i]}\"");
            }

            sums[name] = hex.ToLowerInvariant();
        }

        return sums;
    }

    private sealed record LoadedFile(string Path, string Sha256, IdxArray Content);
}
