using Ops.LocalCloud.Services.Sqs;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.Sns;

/// <summary>SNS: topics, subscriptions, and publish with fan-out to SQS subscriptions (raw or in the SNS envelope).</summary>
internal sealed partial class SnsService : ServiceHandler<SnsState>
{
    readonly SqsService _sqs;

    public override string Name => "sns";

    public SnsService(StateStore store, SqsService sqs) : base(store)
    {
        _sqs = sqs;
        On("CreateTopic", CreateTopic);
        On("ListTopics", ListTopics);
        On("DeleteTopic", DeleteTopic);
        On("GetTopicAttributes", GetTopicAttributes);
        On("SetTopicAttributes", SetTopicAttributes);
        On("Subscribe", Subscribe);
        On("Unsubscribe", Unsubscribe);
        On("ListSubscriptions", ListSubscriptions);
        On("ListSubscriptionsByTopic", ListSubscriptionsByTopic);
        On("GetSubscriptionAttributes", GetSubscriptionAttributes);
        On("SetSubscriptionAttributes", SetSubscriptionAttributes);
        On("Publish", Publish);
    }

    static AwsError NotFound(string what) => new("NotFound", $"{what} does not exist", 404);

    static string Tail(string arn) => arn.Split(':')[^1];
}
