namespace Ops.LocalCloud.Services.Sns;

/// <summary>An SNS topic: its attributes, tags and subscriptions.</summary>
internal sealed class SnsTopic
{
    public string Name { get; set; } = "";
    public Dictionary<string, string> Attributes { get; set; } = new();
    public Dictionary<string, string> Tags { get; set; } = new();
    public List<SnsSubscription> Subscriptions { get; set; } = [];
}
