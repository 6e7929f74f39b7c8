namespace Ops.Stack.Secrets;

/// <summary>
/// Where secrets-set reads a value: standard input, a file, or an environment variable — never the command line, where it
/// would land in shell history and process listings. One trailing newline is dropped; an empty value is refused.
/// </summary>
public static class SecretValueSource
{
    /// <summary>The value from exactly one source; a user error (exit 2) names what is wrong and how to give it.</summary>
    public static async Task<string> ReadAsync(string? file, string? environmentVariable, bool stdinIsTerminal, TextReader stdin,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (file != null && environmentVariable != null)
            throw new StackException("--from-file and --from-env both given; pass one of them (or neither, and pipe the value to standard input).");
        string value;
        if (file != null)
        {
            if (Directory.Exists(file)) throw new StackException($"--from-file {file} is a directory; give the path of a file holding only the value.");
            if (!File.Exists(file)) throw new StackException($"--from-file {file}: no such file; give the path of a file holding only the value.");
            value = await File.ReadAllTextAsync(file, cancellationToken);
        }
        else if (environmentVariable != null)
        {
            if (!environment.TryGetValue(environmentVariable, out var fromEnvironment))
                throw new StackException($"--from-env {environmentVariable}: the variable is not set; export it first, or pipe the value to standard input.");
            value = fromEnvironment;
        }
        else
        {
            if (stdinIsTerminal)
                throw new StackException("no value: pipe it to standard input (… | ./build.sh secrets-set --secret NAME), or use --from-file PATH or --from-env VAR; a value is never taken from the command line.");
            value = await stdin.ReadToEndAsync(cancellationToken);
        }
        if (value.EndsWith("\r\n", StringComparison.Ordinal)) value = value[..^2];
        else if (value.EndsWith('\n')) value = value[..^1];
        if (value.Length == 0) throw new StackException("the value is empty; SSM cannot store an empty secret — give the secret's value.");
        if (value.Length > 4096) throw new StackException($"the value is {value.Length} characters; a standard SSM parameter holds at most 4096.");
        return value;
    }
}
