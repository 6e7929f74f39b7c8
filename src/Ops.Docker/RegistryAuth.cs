namespace Ops.Docker;

/// <summary>Credentials for one registry (for ECR: user AWS and the authorization token's password); never printed.</summary>
public sealed record RegistryAuth(string ServerAddress, string Username, string Password)
{
    /// <summary>Says whose credentials these are, never the password.</summary>
    public override string ToString() => $"{Username} at {ServerAddress} (password redacted)";

    /// <summary>Decodes an ECR authorization token (base64 of <c>AWS:&lt;password&gt;</c>) for <paramref name="serverAddress"/>.</summary>
    public static RegistryAuth FromEcrToken(string serverAddress, string authorizationToken)
    {
        string decoded;
        try
        {
            decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(authorizationToken));
        }
        catch (FormatException)
        {
            throw new FormatException("ECR returned an authorization token that is not base64 (expected base64 of 'AWS:<password>').");
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0 || colon == decoded.Length - 1)
            throw new FormatException("ECR returned an authorization token that is not 'user:password' once decoded.");
        return new RegistryAuth(serverAddress, decoded[..colon], decoded[(colon + 1)..]);
    }
}
