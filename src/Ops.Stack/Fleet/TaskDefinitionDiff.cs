using Ops.Aws.Ecs;
using Ops.Stack.Core;

namespace Ops.Stack.Fleet;

/// <summary>Compares the latest revision with the container create-ecs would register: only the fields create-ecs sets.</summary>
internal static class TaskDefinitionDiff
{
    /// <summary>The differences, as changes (empty: the latest revision is what would be registered).</summary>
    /// <param name="networkMode">awsvpc for FARGATE on AWS, else null (the cloud's default, which AWS reports as bridge).</param>
    public static List<Change> Between(TaskDefinition latest, ContainerDefinition wanted, string cpu, string memory, TaskRoles? roles = null,
        string? networkMode = null)
    {
        var changes = new List<Change>();
        void Compare(string setting, string? old, string? @new)
        {
            if ((old ?? "") != (@new ?? "")) changes.Add(new Change("", setting, string.IsNullOrEmpty(old) ? "(unset)" : old, string.IsNullOrEmpty(@new) ? "(unset)" : @new));
        }

        Compare("task cpu", latest.Cpu, cpu);
        Compare("task memory", latest.Memory, memory);
        Compare("network mode", latest.NetworkMode is null or "bridge" ? null : latest.NetworkMode, networkMode);
        if (roles != null)
        {
            Compare("task role", latest.TaskRoleArn, roles.TaskRoleArn);
            Compare("execution role", latest.ExecutionRoleArn, roles.ExecutionRoleArn);
        }
        var have = latest.ContainerDefinitions?.FirstOrDefault(c => c.Name == wanted.Name);
        if (have == null)
        {
            changes.Add(new Change("", "container", string.Join(",", latest.ContainerDefinitions?.Select(c => c.Name) ?? []), wanted.Name!));
            return changes;
        }
        Compare("image", have.Image, wanted.Image);
        Compare("container cpu", have.Cpu?.ToString(), wanted.Cpu?.ToString());
        Compare("container memory", have.Memory?.ToString(), wanted.Memory?.ToString());
        Compare("essential", (have.Essential ?? true).ToString(), (wanted.Essential ?? true).ToString());
        Compare("stop timeout", have.StopTimeout?.ToString(), wanted.StopTimeout?.ToString());
        CompareMap("environment", Pairs(have.Environment), Pairs(wanted.Environment));
        Compare("log driver", have.LogConfiguration?.LogDriver, wanted.LogConfiguration?.LogDriver);
        CompareMap("log option", have.LogConfiguration?.Options ?? [], wanted.LogConfiguration?.Options ?? []);
        CompareMap("label", have.DockerLabels ?? [], wanted.DockerLabels ?? []);
        return changes;

        void CompareMap(string what, IReadOnlyDictionary<string, string> old, IReadOnlyDictionary<string, string> @new)
        {
            foreach (var key in old.Keys.Union(@new.Keys).Order(StringComparer.Ordinal))
            {
                var (before, after) = (old.GetValueOrDefault(key), @new.GetValueOrDefault(key));
                // A value whose name says it is secret is never printed, only that it changed (secrets belong in SSM, not here).
                if (LooksSecret(key) && before != after) (before, after) = (before == null ? null : "(old value)", after == null ? null : "(new value)");
                Compare($"{what} {key}", before, after);
            }
        }
    }

    static bool LooksSecret(string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_?KEY|AUTH", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    static Dictionary<string, string> Pairs(List<EcsKeyValuePair>? pairs) =>
        (pairs ?? []).Where(p => p.Name != null).GroupBy(p => p.Name!).ToDictionary(g => g.Key, g => g.Last().Value ?? "");
}
