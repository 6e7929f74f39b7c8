using System.Reflection;
using Ops.Targets.Text;

namespace Ops.Targets.Parameters;

/// <summary>One <see cref="ParameterAttribute"/> member of a build: its CLI name, type and how to read and write it.</summary>
internal sealed class ParameterDescriptor
{
    public MemberInfo Member { get; }
    public string Name { get; }
    public string Key => Names.Normalize(Name);
    public string Description { get; }
    public Type Type { get; }
    public bool IsSecret { get; }

    /// <summary>Read only from the command line (<see cref="ParameterAttribute.CommandLineOnly"/>).</summary>
    public bool CommandLineOnly { get; }

    ParameterDescriptor(MemberInfo member, ParameterAttribute attribute, Type type)
    {
        Member = member;
        Name = attribute.Name ?? Names.ToKebab(member.Name);
        Description = attribute.Description;
        Type = type;
        IsSecret = member.GetCustomAttribute<SecretAttribute>() != null;
        CommandLineOnly = attribute.CommandLineOnly;
    }

    public object? GetValue(object build) => Member switch
    {
        FieldInfo f => f.GetValue(build),
        PropertyInfo p => p.GetValue(build),
        _ => null,
    };

    public void SetValue(object build, object? value)
    {
        switch (Member)
        {
            case FieldInfo f: f.SetValue(build, value); break;
            case PropertyInfo p: p.SetValue(build, value); break;
        }
    }

    /// <summary>
    /// The environment variable that can set this parameter (<c>OPS_</c> and the name, so a plain <c>STAGE</c> or
    /// <c>FORCE</c> exported for something else never reaches a build); null when it is read from the command line only.
    /// </summary>
    public string? EnvironmentName => CommandLineOnly ? null : $"OPS_{Name.Replace('-', '_').ToUpperInvariant()}";

    public static IReadOnlyList<ParameterDescriptor> FromType(Type buildType)
    {
        var result = new List<ParameterDescriptor>();
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        for (var t = buildType; t != null && t != typeof(object); t = t.BaseType)
            foreach (var member in t.GetMembers(flags | BindingFlags.DeclaredOnly).OrderBy(m => m.MetadataToken))
            {
                if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute) continue;
                var type = member switch
                {
                    FieldInfo f => f.FieldType,
                    PropertyInfo { SetMethod: not null } p => p.PropertyType,
                    PropertyInfo p => throw new BuildDefinitionException($"Parameter property '{p.Name}' needs a setter."),
                    _ => throw new BuildDefinitionException($"[Parameter] on '{member.Name}' must be on a field or property."),
                };
                if (!ValueConverter.IsSupported(type))
                    throw new BuildDefinitionException($"Parameter '{member.Name}' has unsupported type {type.Name}.");
                var descriptor = new ParameterDescriptor(member, attribute, type);
                if (result.Any(r => r.Key == descriptor.Key))
                    throw new BuildDefinitionException($"Two parameters are named '{descriptor.Name}'.");
                result.Add(descriptor);
            }
        return result;
    }
}
