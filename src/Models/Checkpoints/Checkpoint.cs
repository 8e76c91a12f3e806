using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SweepRunner.Models.Vae;
using static TorchSharp.torch;
using SweepRunner.Plotting;

namespace SweepRunner.Models.Checkpoints;

/// <summary>
/// One file holding a run's full state: metadata (JSON), model state and optimizer state (TorchSharp's
/// own format), followed by a SHA-256 of everything before it so that damage is detected on load.
/// Layout: magic "SWRCKPT\n", int32 format version, then three length-prefixed sections, then the hash.
/// </summary>
public sealed class Checkpoint
{
    public const string FileName = "checkpoint";
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "SWRCKPT\n"u8.ToArray();
    private const int HashLength = 32;

    public Checkpoint(CheckpointMetadata metadata, byte[] modelState, byte[] optimizerState)
    {
        Metadata = metadata;
        ModelState = modelState;
        OptimizerState = optimizerState;
    }

    public CheckpointMetadata Metadata { get; }

    /// <summary>The model's state dictionary as written by TorchSharp's <c>Module.save</c>.</summary>
    public byte[] ModelState { get; }

    /// <summary>The optimizer's state as written by TorchSharp's <c>save_state_dict</c>.</summary>
    public byte[] OptimizerState { get; }

    /// <summary>The trained model alone (for sampling and figures), in evaluation mode.</summary>
    public VariationalAutoencoder LoadModel(string source)
    {
        var config = Metadata.Config;
        using var generator = new Generator(0);
        var model = VariationalAutoencoder.Create(config.Model, config.LatentDim, generator);
        try
        {
            using var stream = new MemoryStream(ModelState, writable: false);
            model.load(stream, strict: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or InvalidDataException)
        {
            model.Dispose();
            throw new CheckpointException(source, $"model state does not fit a {config.Model} model with latent dim {config.LatentDim}: {ex.Message}");
        }

        model.eval();
        return model;
    }

    public byte[] ToBytes()
    {
        // Written into an array of the exact length: a growing stream would copy the states at each doubling, and
        // then once more, each time into fresh memory the kernel faults in page by page (an MLP checkpoint is 9.7 MB).
        var metadata = JsonSerializer.SerializeToUtf8Bytes(Metadata, ModelJson.Options);
        var bytes = new byte[checked(Magic.Length + sizeof(int) + (3 * sizeof(long)) + metadata.Length + ModelState.Length + OptimizerState.Length + HashLength)];
        using (var writer = new BinaryWriter(new MemoryStream(bytes), Encoding.UTF8))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            WriteSection(writer, metadata);
            WriteSection(writer, ModelState);
            WriteSection(writer, OptimizerState);
        }

        SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength), bytes.AsSpan(bytes.Length - HashLength));
        return bytes;
    }

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        AtomicFile.Write(path, ToBytes());
    }

    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "file not found");
        return FromBytes(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses and verifies a checkpoint; <paramref name="source"/> names it in errors.</summary>
    public static Checkpoint FromBytes(byte[] data, string source)
    {
        if (data.Length < Magic.Length + sizeof(int) + HashLength || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException(source, "not a SweepRunner checkpoint (wrong magic bytes)");

        var body = data.AsSpan(0, data.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(data.AsSpan(data.Length - HashLength)))
            throw new CheckpointException(source, "corrupt checkpoint (SHA-256 of the contents does not match)");

        using var reader = new BinaryReader(new MemoryStream(data, 0, body.Length, writable: false));
        reader.ReadBytes(Magic.Length);
        int version = reader.ReadInt32();
        if (version != FormatVersion)
            throw new CheckpointException(source, $"checkpoint format version {version} is not supported (expected {FormatVersion})");

        try
        {
            var metadata = JsonSerializer.Deserialize<CheckpointMetadata>(ReadSection(reader), ModelJson.Options)
                ?? throw new CheckpointException(source, "checkpoint metadata is empty");
            return new Checkpoint(metadata, ReadSection(reader), ReadSection(reader));
        }
        catch (Exception ex) when (ex is JsonException or EndOfStreamException or InvalidDataException)
        {
            throw new CheckpointException(source, $"malformed checkpoint: {ex.Message}");
        }
    }

    private static void WriteSection(BinaryWriter writer, byte[] section)
    {
        writer.Write((long)section.Length);
        writer.Write(section);
    }

    private static byte[] ReadSection(BinaryReader reader)
    {
        long length = reader.ReadInt64();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"section length {length} runs past the end of the file");
        return reader.ReadBytes((int)length);
    }
}
