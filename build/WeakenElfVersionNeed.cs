using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on one version requirement (a Vernaux entry of .gnu.version_r) of an ELF64
/// little-endian shared library, when the libstdc++ of the machine that will run it does not define
/// that version (or always, with Mode "on"). Idempotent: a library already marked is left untouched.
/// Writes LIBRARY.native-fix.txt with the reason and the SHA-256 before and after.
/// </summary>
public sealed class WeakenElfVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    private static readonly string[] SystemLibStdCxxPaths =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    [Required] public string Library { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    /// <summary>"auto": patch only where the target's libstdc++ lacks the version; "on": patch regardless.</summary>
    public string Mode { get; set; } = "auto";

    /// <summary>
    /// The libstdc++.so.6 of the machine the output will run on (an image build copies its runtime base's);
    /// empty: this machine's, since a plain build runs where it is built.
    /// </summary>
    public string TargetLibStdCxx { get; set; } = "";

    [Output] public string Outcome { get; set; } = "";

    public override bool Execute()
    {
        string reason;
        if (Mode == "on")
        {
            reason = "forced (NativeFix=on)";
        }
        else
        {
            if (TargetLibStdCxx.Length > 0 && !File.Exists(TargetLibStdCxx))
            {
                Log.LogError(null, "SWEEP003", null, null, 0, 0, 0, 0,
                    $"NativeFixTargetLibStdCxx: {TargetLibStdCxx} does not exist; give the target's libstdc++.so.6");
                return false;
            }
            string targetLib = TargetLibStdCxx.Length > 0 ? TargetLibStdCxx : Array.Find(SystemLibStdCxxPaths, File.Exists);
            if (targetLib != null && ContainsVersionString(File.ReadAllBytes(targetLib), VersionName))
            {
                Outcome = $"not needed: {targetLib} defines {VersionName}";
                return true;
            }
            reason = $"{targetLib ?? "no system libstdc++.so.6 found"} lacks {VersionName}";
        }

        byte[] elf = File.ReadAllBytes(Library);
        string before = Sha256(elf);
        int entry;
        try
        {
            entry = FindVernaux(elf, VersionName);
        }
        catch (Exception ex) when (ex is InvalidDataException || ex is ArgumentOutOfRangeException || ex is IndexOutOfRangeException)
        {
            Log.LogError($"{Library}: cannot patch the {VersionName} requirement: {ex.Message}");
            return false;
        }

        if (entry < 0)
        {
            Outcome = $"no {VersionName} requirement, nothing to do";
            return true;
        }

        ushort flags = BitConverter.ToUInt16(elf, entry + 4);
        if ((flags & VerFlgWeak) != 0)
        {
            Outcome = $"{VersionName} already weak (sha256 {before})";
            return true;
        }

        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, entry + 4);
        string after = Sha256(elf);
        DateTime modified = File.GetLastWriteTimeUtc(Library);
        File.WriteAllBytes(Library, elf);
        // Keeping the package's timestamp lets incremental copies treat the patched file as up to date.
        File.SetLastWriteTimeUtc(Library, modified);
        File.WriteAllText(Library + ".native-fix.txt",
            $"file: {Path.GetFileName(Library)}\n" +
            $"change: vna_flags of the {VersionName} requirement |= VER_FLG_WEAK (0x2) at offset 0x{entry + 4:x}\n" +
            $"reason: {reason}\n" +
            $"sha256-before: {before}\n" +
            $"sha256-after: {after}\n");
        Outcome = $"marked {VersionName} weak (sha256 {before} -> {after})";
        return true;
    }

    private static bool ContainsVersionString(byte[] data, string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        for (int i = 0; i + needle.Length <= data.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && data[i + j] == needle[j]) j++;
            if (j == needle.Length && (i == 0 || data[i - 1] == 0)) return true;
        }
        return false;
    }

    /// <summary>Returns the file offset of the Vernaux entry named <paramref name="version"/>, or -1.</summary>
    private static int FindVernaux(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)(shoff + (long)s * shentsize));
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;

            int verneedOffset = checked((int)BitConverter.ToInt64(elf, sh + 24));
            int verneedCount = (int)BitConverter.ToUInt32(elf, sh + 44);
            int strtabSection = checked((int)(shoff + (long)BitConverter.ToUInt32(elf, sh + 40) * shentsize));
            int strtabOffset = checked((int)BitConverter.ToInt64(elf, strtabSection + 24));

            int vn = verneedOffset;
            for (int n = 0; n < verneedCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, vn + 2);
                int aux = vn + (int)BitConverter.ToUInt32(elf, vn + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int name = strtabOffset + (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (ReadCString(elf, name) == version) return aux;
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                vn += (int)BitConverter.ToUInt32(elf, vn + 12);
            }
            return -1;
        }
        throw new InvalidDataException("no .gnu.version_r section");
    }

    private static string ReadCString(byte[] data, int offset)
    {
        int end = Array.IndexOf(data, (byte)0, offset);
        return Encoding.ASCII.GetString(data, offset, end - offset);
    }

    private static string Sha256(byte[] data)
    {
        using var sha = SHA256.Create();
        return BitConverter.ToString(sha.ComputeHash(data)).Replace("-", "").ToLowerInvariant();
    }
}
