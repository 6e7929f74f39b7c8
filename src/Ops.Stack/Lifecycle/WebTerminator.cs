using Ops.Aws.ElasticBeanstalk;
using Ops.Stack.Core;
using Ops.Stack.Web;

namespace Ops.Stack.Lifecycle;

/// <summary>
/// Terminates the stage's Elastic Beanstalk environment and waits until it is gone. The application and its versions stay
/// (recreate starts the recorded one again); no database is EB's, so nothing else goes with it.
/// </summary>
public sealed class WebTerminator(StageContext context)
{
    readonly ElasticBeanstalkClient _eb = new(context.Connection);

    string Environment => context.Stack.Web.Environment;

    public async Task<IReadOnlyList<Change>> TerminateAsync(CancellationToken ct)
    {
        var watch = new EnvironmentWatch(context, _eb);
        var env = await watch.DescribeAsync(Environment, ct);
        if (env == null)
        {
            context.Log.Info($"eb environment {Environment}: already gone");
            return [];
        }
        var change = new Change($"eb environment {Environment}", "status", $"{env.Status} {env.Health}, version {env.VersionLabel ?? "(none)"}", "terminated");
        await Mutation.ApplyAsync(context, change, async () =>
        {
            if (env.Status != "Terminating")
                await _eb.TerminateEnvironmentAsync(new TerminateEnvironmentMessage { EnvironmentName = Environment }, ct);
            await watch.UntilGoneAsync(Environment, TimeSpan.FromSeconds(context.Stack.Web.CreateTimeoutSeconds), ct);
        });
        return [change];
    }
}
