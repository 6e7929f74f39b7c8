using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services;

/// <summary>Every service the local cloud serves.</summary>
internal static class ServiceCatalog
{
    public static IReadOnlyList<ServiceHandler> Create(StateStore store, LocalCloudOptions options) =>
    [
        new StsService(),
        new SsmService(store),
        new SqsService(store),
        new RdsService(store, options.Delays),
        new RedshiftService(store, options.Delays),
        new ElastiCacheService(store, options.Delays),
        new EcsService(store, options.Delays),
    ];
}
