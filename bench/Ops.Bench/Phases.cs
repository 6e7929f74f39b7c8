/// <summary>Where one build-docker spent its time: the whole, the prepare command, the engine's build, and what followed (push or the check that ECR has
/// it).</summary>
sealed record Phases(TimeSpan Total, TimeSpan Prepare, TimeSpan Build, TimeSpan Push)
{
    public override string ToString() =>
        $"{Total.TotalSeconds:0.00} s (prepare {Prepare.TotalSeconds:0.00}, build {Build.TotalSeconds:0.00}, push {Push.TotalSeconds:0.00})";
}
