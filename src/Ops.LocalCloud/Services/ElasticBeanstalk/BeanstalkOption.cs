namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>One option setting of an environment (namespace, option name, value), as CreateEnvironment and UpdateEnvironment set it.</summary>
internal sealed class BeanstalkOption
{
    public string Namespace { get; set; } = "";
    public string OptionName { get; set; } = "";
    public string Value { get; set; } = "";
}
