using System.Buffers.Binary;
using System.IO.Compression;

namespace SweepRunner.Models.Data;

/// <summary>Reads unsigned-byte IDX files (the MNIST format), gzip-compressed or raw.</summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads the IDX file at <paramref name="path"/>; gzip is recognised by its magic bytes.</summary>
    /// <exception cref="DatasetException">The file is missing, unreadable or not a valid unsigned-byte IDX file.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        return Parse(ReadAllBytes(fullPath), fullPath);
    }

    internal static byte[] ReadAllBytes(string fullPath)
    {
        try
        {
            return File.ReadAllBytes(fullPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DatasetException(fullPath, "file not found", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(fullPath, $"cannot read: {ex.Message}", ex);
        }
    }

    /// <summary>Parses the bytes of a whole file; <paramref name="fullPath"/> is only used in error messages.</summary>
    internal static IdxArray Parse(byte[] fileBytes, string fullPath)
    {
        var gzip = fileBytes.Length >= 2 && fileBytes[0] == 0x1f && fileBytes[1] == 0x8b;
        using var raw = new MemoryStream(fileBytes, writable: false);
        using Stream stream = gzip ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        var reader = new BlockReader(stream, fullPath, gzip);

        Span<byte> magic = stackalloc byte[4];
        var got = reader.Fill(magic, "header");
        if (got < magic.Length)
        {
            throw new DatasetException(fullPath, $"truncated: expected 4 bytes of header, found {got}");
        }

        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new DatasetException(
                fullPath,
                $"wrong magic {magic[0]:X2} {magic[1]:X2} {magic[2]:X2} {magic[3]:X2}: "
                + "an IDX file starts with 00 00 <type> <number of dimensions>");
        }

        if (magic[2] != UnsignedByteType)
        {
            throw new DatasetException(
                fullPath,
                $"unsupported type code 0x{magic[2]:X2} ({TypeName(magic[2])}): only 0x08 (unsigned byte) is supported");
        }

        var dimensionBytes = new byte[4 * magic[3]];
        got = reader.Fill(dimensionBytes, "header");
        if (got < dimensionBytes.Length)
        {
            throw new DatasetException(
                fullPath,
                $"truncated: expected {4 + dimensionBytes.Length} bytes of header, found {4 + got}");
        }

        var dimensions = new int[magic[3]];
        long length = 1;
        for (var i = 0; i < dimensions.Length; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.AsSpan(4 * i, 4));
            if (dimensions[i] < 0)
            {
                throw new DatasetException(fullPath, $"negative size {dimensions[i]} in dimension {i} of the header");
            }

            length *= dimensions[i];
            if (length > Array.MaxLength)
            {
                throw new DatasetException(
                    fullPath,
                    $"too large: dimensions {string.Join('x', dimensions[..(i + 1)])} exceed {Array.MaxLength} bytes");
            }
        }

        var data = GC.AllocateUninitializedArray<byte>((int)length);
        got = reader.Fill(data, "data");
        if (got < data.Length)
        {
            throw new DatasetException(fullPath, $"truncated: expected {data.Length} bytes of data, found {got}");
        }

        var extra = reader.CountRemaining();
        if (extra > 0)
        {
            throw new DatasetException(
                fullPath,
                $"trailing bytes: expected {data.Length} bytes of data, found {data.Length + extra} "
                + $"({extra} bytes after the end given by dimensions {string.Join('x', dimensions)})");
        }

        return new IdxArray(dimensions, data);
    }

    private static string TypeName(byte code) => code switch
    {
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX type",
    };

    /// <summary>Reads blocks; a cut-short stream just returns fewer bytes, a damaged gzip stream becomes a <see cref="DatasetException"/>.</summary>
    private readonly struct BlockReader(Stream stream, string fullPath, bool gzip)
    {
        public int Fill(Span<byte> buffer, string what)
        {
            var total = 0;
            try
            {
                while (total < buffer.Length)
                {
                    var n = stream.Read(buffer[total..]);
                    if (n == 0)
                    {
                        break;
                    }

                    total += n;
                }
            }
            catch (InvalidDataException ex) when (gzip)
            {
                throw new DatasetException(
                    fullPath,
                    $"corrupt gzip stream: expected {buffer.Length} bytes of {what}, decompressed {total} before it failed ({ex.Message})",
                    ex);
            }

            return total;
        }

        public long CountRemaining()
        {
            var buffer = new byte[81920];
            long total = 0;
            try
            {
                int n;
                while ((n = stream.Read(buffer)) > 0)
                {
                    total += n;
                }
            }
            catch (InvalidDataException ex) when (gzip)
            {
                throw new DatasetException(fullPath, $"corrupt gzip stream after the data: {ex.Message}", ex);
            }

            return total;
        }
    }
}
