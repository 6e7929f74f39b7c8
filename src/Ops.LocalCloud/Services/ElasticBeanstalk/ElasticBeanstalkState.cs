using System.Text.Json.Nodes;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>Everything Elastic Beanstalk keeps (the <c>elasticbeanstalk.json</c> state file): applications, environments, events.</summary>
internal sealed class ElasticBeanstalkState
{
    public SortedDictionary<string, BeanstalkApplication> Applications { get; set; } = new(StringComparer.Ordinal);
    public List<BeanstalkEnvironment> Environments { get; set; } = [];
    public List<JsonObject> Events { get; set; } = [];
}
