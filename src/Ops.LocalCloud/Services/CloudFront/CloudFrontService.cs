using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.CloudFront;

/// <summary>
/// CloudFront invalidations (InProgress → Completed). Ops invalidates a statics distribution it does not
/// create, so the local cloud treats any distribution id as existing. Handlers are in
/// <c>CloudFrontService.Invalidations.cs</c>.
/// </summary>
internal sealed partial class CloudFrontService : ServiceHandler<CloudFrontState>
{
    readonly TimeSpan _delay;
    public override string Name => "cloudfront";

    public CloudFrontService(StateStore store, LifecycleDelays delays) : base(store)
    {
        _delay = delays.Cache;
        On("CreateInvalidation", CreateInvalidation);
        On("GetInvalidation", GetInvalidation);
        On("ListInvalidations", ListInvalidations);
    }
}
