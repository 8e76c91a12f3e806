using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace SweepRunner.Contracts.Grains;

/// <summary>
/// Optional mutual TLS between the coordinator silos and the workers, with one certificate shared by all of them (a
/// PKCS#12 file, <see cref="CertificateFileKey"/>). Each side presents it and accepts only a peer presenting the same
/// one, pinned by its SHA-256 fingerprint: no certificate authority is involved, a self-signed certificate does, and a
/// process without the file (or with another certificate) cannot open a connection to a silo or its gateway. The
/// password comes from a file or the environment, never the command line, where other users could read it.
/// </summary>
public static class ClusterTls
{
    /// <summary>The shared certificate with its private key (PKCS#12, .pfx); unset: no TLS.</summary>
    public const string CertificateFileKey = "Orleans:Tls:CertificateFile";

    /// <summary>A file holding the certificate's password (one line).</summary>
    public const string PasswordFileKey = "Orleans:Tls:CertificatePasswordFile";

    /// <summary>The certificate's password itself, for the environment (<c>Orleans__Tls__CertificatePassword</c>).</summary>
    public const string PasswordKey = "Orleans:Tls:CertificatePassword";

    /// <summary>Secures the silo's connections (to other silos, and from workers to its gateway) when a certificate is configured.</summary>
    /// <exception cref="ClusterConfigurationException">The certificate or its password cannot be read.</exception>
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return Load(configuration) is { } certificate ? silo.UseTls(options => Configure(options, certificate)) : silo;
    }

    /// <summary>Secures the client's connections to the coordinators' gateways when a certificate is configured.</summary>
    /// <exception cref="ClusterConfigurationException">The certificate or its password cannot be read.</exception>
    public static IClientBuilder UseClusterTls(this IClientBuilder client, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Load(configuration) is { } certificate ? client.UseTls(options => Configure(options, certificate)) : client;
    }

    /// <summary>Both ends present the certificate, and each requires the other's to be the same one.</summary>
    private static void Configure(TlsOptions options, X509Certificate2 certificate)
    {
        byte[] pinned = certificate.GetCertHash(HashAlgorithmName.SHA256);
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // The chain and the host name do not matter (the certificate is self-signed, and silos dial addresses): only
        // whether the peer holds the shared certificate.
        options.RemoteCertificateValidation = (remote, _, _) => CryptographicOperations.FixedTimeEquals(remote.GetCertHash(HashAlgorithmName.SHA256), pinned);
    }

    /// <summary>The configured certificate; null when <see cref="CertificateFileKey"/> is unset.</summary>
    /// <exception cref="ClusterConfigurationException">It cannot be read, the password is wrong, or it has no private key.</exception>
    internal static X509Certificate2? Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[CertificateFileKey] is not { Length: > 0 } file) return null;
        string? password = Password(configuration);
        byte[] contents;
        try
        {
            contents = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ClusterConfigurationException($"{CertificateFileKey}: cannot read {file}: {ex.Message}", ex);
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(contents, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            // The message is the platform's (no password in it); the usual cause is the password.
            throw new ClusterConfigurationException($"{CertificateFileKey}: {file} is not a PKCS#12 certificate that opens with the configured password ({PasswordFileKey} or {PasswordKey}): {ex.Message}", ex);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ClusterConfigurationException($"{CertificateFileKey}: {file} has no private key; the shared certificate must carry it");
        }
        return certificate;
    }

    private static string? Password(IConfiguration configuration)
    {
        string? file = configuration[PasswordFileKey] is { Length: > 0 } path ? path : null;
        string? given = configuration[PasswordKey];
        if (file is not null && given is not null)
            throw new ClusterConfigurationException($"the certificate's password is set twice: give {PasswordFileKey} or {PasswordKey}, not both");
        if (file is null) return given;
        try
        {
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ClusterConfigurationException($"{PasswordFileKey}: cannot read {file}: {ex.Message}", ex);
        }
    }
}
