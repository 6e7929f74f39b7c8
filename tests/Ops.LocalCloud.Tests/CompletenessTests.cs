using Ops.LocalCloud.Services;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Tests;

public class CompletenessTests
{
    [Fact]
    public void Every_operation_in_every_served_model_has_a_handler()
    {
        var missing = ServiceCatalog.Create(new StateStore(null), new LocalCloudOptions(), new Ops.LocalCloud.Services.Iam.IamService(new StateStore(null)),
            new Ops.LocalCloud.Iam.RoleSessions(TimeProvider.System))
            .SelectMany(s => s.Model.Operations.Keys.Except(s.Operations).Select(op => $"{s.Name} {op}"))
            .ToList();
        Assert.True(missing.Count == 0, "No handler for: " + string.Join(", ", missing));
    }
}
