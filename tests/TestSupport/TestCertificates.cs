using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SweepRunner.TestSupport;

/// <summary>Self-signed certificates for the cluster's TLS, made as the documented openssl recipe makes them: an RSA key, no extended key usage.</summary>
public static class TestCertificates
{
    /// <summary>Writes a new certificate with its private key to <paramref name="path"/> (PKCS#12) under <paramref name="password"/>; returns the path.</summary>
    public static string WritePfx(string path, string password, string subject = "CN=sweeprunner-cluster")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
