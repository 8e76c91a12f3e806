using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SweepRunner.Models.Figures;

/// <summary>
/// Writes 8-bit grey-scale PNG files: enough for grids of decoded digits, which are images rather than
/// plots (no axes, one pixel per pixel).
/// </summary>
public static class GrayscalePng
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes <paramref name="pixels"/> (row-major, width × height, 0 black … 255 white).</summary>
    public static byte[] Encode(byte[] pixels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (pixels.Length != width * height)
            throw new ArgumentException($"expected {width * height} pixels, got {pixels.Length}", nameof(pixels));

        using var output = new MemoryStream();
        output.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // colour type: grey-scale
        WriteChunk(output, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int row = 0; row < height; row++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(pixels, row * width, width);
            }
        }
        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>Tiles <paramref name="images"/> (each side × side, values in [0, 1]) into a columns-wide grid.</summary>
    public static byte[] EncodeGrid(IReadOnlyList<float[]> images, int side, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images.Count, 1);
        int rows = (images.Count + columns - 1) / columns;
        int width = columns * side, height = rows * side;
        var pixels = new byte[width * height];
        for (int i = 0; i < images.Count; i++)
        {
            int top = i / columns * side, left = i % columns * side;
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    float value = Math.Clamp(images[i][(y * side) + x], 0f, 1f);
                    pixels[((top + y) * width) + left + x] = (byte)MathF.Round(value * 255f);
                }
            }
        }
        return Encode(pixels, width, height);
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc32(Crc32(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    private static uint Crc32(uint crc, byte[] data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
