using System.Security.Cryptography;
using System.Text;

namespace Ops.LocalCloud.State;

/// <summary>
/// Seals secrets kept in service state with AES-256-GCM under a key that lives beside the state in a file only its
/// owner can read (0600), so a state file never holds a secret in plain text. Without a state directory the key
/// lives in memory for the life of the process.
/// </summary>
internal sealed class SecretBox
{
    const string Prefix = "sealed:v1:";
    const string KeyFileName = "secret.key";
    readonly byte[] _key;

    public SecretBox(string? directory)
    {
        _key = directory == null ? RandomNumberGenerator.GetBytes(32) : LoadOrCreateKey(directory);
    }

    /// <summary>True for text this box produced.</summary>
    public static bool IsSealed(string text) => text.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>"sealed:v1:" + base64(nonce ‖ ciphertext ‖ tag).</summary>
    public string Seal(string plain)
    {
        var data = Encoding.UTF8.GetBytes(plain);
        var sealedBytes = new byte[12 + data.Length + 16];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(12, data.Length), sealedBytes.AsSpan(12 + data.Length, 16));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The plain text of a sealed value; a value stored before sealing existed comes back as it is.</summary>
    public string Open(string stored)
    {
        if (!IsSealed(stored)) return stored;
        var sealedBytes = Convert.FromBase64String(stored[Prefix.Length..]);
        if (sealedBytes.Length < 28) throw new InvalidOperationException("A sealed secret in the local cloud's state is damaged.");
        var data = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(_key, 16);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(12, data.Length), sealedBytes.AsSpan(12 + data.Length, 16), data);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new InvalidOperationException(
                $"A secret in the local cloud's state cannot be opened with its key file ({KeyFileName}); was the key replaced? Delete the state directory to start afresh.", e);
        }
        return Encoding.UTF8.GetString(data);
    }

    static byte[] LoadOrCreateKey(string directory)
    {
        var path = Path.Combine(directory, KeyFileName);
        var fresh = RandomNumberGenerator.GetBytes(32);
        if (DurableFiles.CreatePrivateOnce(path, fresh)) return fresh;
        var key = File.ReadAllBytes(path); // made by an earlier run, or by another process first
        if (key.Length != 32) throw new InvalidOperationException($"The local cloud's key file {path} is damaged (expected 32 bytes); delete the state directory to start afresh.");
        return key;
    }
}
