namespace Ops.Stack.Model;

/// <summary>The stage's secrets in SSM Parameter Store (SecureString): their name prefix, which must exist, and which Ops generates.</summary>
public sealed record SecretsSpec
{
    /// <summary>Prepended to a secret's name to form its parameter name (<c>iotilecloud.{stage}.</c>).</summary>
    public required string Prefix { get; init; }

    /// <summary>Names that must exist before create/deploy (secrets-check): the generated ones, plus the third-party keys in stage and prod.</summary>
    public required IReadOnlyList<string> Required { get; init; }

    /// <summary>Names Ops generates (random, never printed) when missing: passwords, the auth token, Django's keys.</summary>
    public required IReadOnlyList<string> Generated { get; init; }

    /// <summary>The parameter name of secret <paramref name="name"/>.</summary>
    public string ParameterName(string name) => Prefix + name;
}
