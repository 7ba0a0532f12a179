using System.Buffers.Binary;
using System.Text;

namespace Futuswarm.Cluster.Secrets;

/// <summary>
/// Where a secret belongs (DESIGN.md section 6). The same three values bind the ciphertext (AES-GCM associated
/// data) and the data key (KMS EncryptionContext), so a record copied under another service or key cannot be opened.
/// </summary>
public sealed record SecretContext
{
    public string Cluster { get; }
    public string Service { get; }
    public string Key { get; }

    public SecretContext(string cluster, string service, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(cluster);
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(key);
        (Cluster, Service, Key) = (cluster, service, key);
    }

    // A label and a length before every field: ("a","bc") and ("ab","c") must give different bytes,
    // and the bytes must not collide with associated data of some other use of the same keys.
    private static readonly byte[] Label = "futuswarm-secret-context/1"u8.ToArray();

    /// <summary>The associated data of AES-GCM: label, then each field as a 4-byte big-endian length and UTF-8.</summary>
    public byte[] CanonicalBytes()
    {
        var fields = new[] { Cluster, Service, Key }.Select(Encoding.UTF8.GetBytes).ToArray();
        var result = new byte[Label.Length + fields.Sum(f => 4 + f.Length)];
        Label.CopyTo(result, 0);
        var at = Label.Length;
        foreach (var f in fields)
        {
            BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(at), f.Length);
            f.CopyTo(result, at + 4);
            at += 4 + f.Length;
        }
        return result;
    }

    /// <summary>The KMS EncryptionContext; these names are what IAM conditions (kms:EncryptionContext:service) use.</summary>
    public Dictionary<string, string> ToEncryptionContext() =>
        new(StringComparer.Ordinal) { ["cluster"] = Cluster, ["service"] = Service, ["key"] = Key };

    public override string ToString() => $"{Cluster}/{Service}/{Key}";
}
