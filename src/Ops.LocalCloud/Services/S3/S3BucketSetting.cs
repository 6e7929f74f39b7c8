using Microsoft.AspNetCore.Http;

namespace Ops.LocalCloud.Services.S3;

/// <summary>A bucket sub-resource Ops configures (?encryption, ?tagging…): its query name, whether it is JSON, and what a GET answers when none is
/// set.</summary>
internal sealed record S3BucketSetting(string Name, bool Json, string? MissingCode, string? MissingMessage, int PutStatus)
{
    public static readonly IReadOnlyList<S3BucketSetting> All =
    [
        // Every bucket has had SSE-S3 default encryption since 2023: a GET without a setting answers AES256.
        new("encryption", false, null, null, 200),
        new("publicAccessBlock", false, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", 200),
        new("lifecycle", false, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", 200),
        new("tagging", false, "NoSuchTagSet", "The TagSet does not exist", 204),
        new("policy", true, "NoSuchBucketPolicy", "The bucket policy does not exist", 204),
        new("versioning", false, null, null, 200),
    ];

    /// <summary>The setting a request's query names, or null.</summary>
    public static S3BucketSetting? Of(IQueryCollection query) => All.FirstOrDefault(s => query.ContainsKey(s.Name));
}
