namespace Ops.Targets.Parameters;

/// <summary>Where a parameter's value came from, highest precedence first.</summary>
internal enum ParameterSource
{
    CommandLine,
    Environment,
    ProfileFile,
    ParametersFile,
    Default,
}
