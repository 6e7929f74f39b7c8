namespace Ops.Targets;

/// <summary>A build target, declared NUKE-style as <c>Target Deploy =&gt; _ =&gt; _.DependsOn(Build).Executes(...)</c>.</summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);
