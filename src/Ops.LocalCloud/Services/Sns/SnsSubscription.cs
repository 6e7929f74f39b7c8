namespace Ops.LocalCloud.Services.Sns;

/// <summary>One subscription of a topic: where (protocol and endpoint) and how (attributes such as RawMessageDelivery) it is delivered.</summary>
internal sealed class SnsSubscription
{
    public string Id { get; set; } = "";
    public string Protocol { get; set; } = "";
    public string Endpoint { get; set; } = "";
    public Dictionary<string, string> Attributes { get; set; } = new();
}
