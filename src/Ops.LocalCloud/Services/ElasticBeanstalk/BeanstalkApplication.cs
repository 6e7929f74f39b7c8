using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>A Beanstalk application and its versions (kept as their wire descriptions, by label).</summary>
internal sealed class BeanstalkApplication
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public DateTimeOffset Created { get; set; }
    public SortedDictionary<string, JsonObject> Versions { get; set; } = new(StringComparer.Ordinal);
}
