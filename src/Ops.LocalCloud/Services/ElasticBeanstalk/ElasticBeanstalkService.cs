using System.Text.Json.Nodes;
using Ops.LocalCloud.State;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>
/// Elastic Beanstalk: applications, versions, environments that launch (Launching → Ready), deploy
/// (Updating → Ready) and terminate (Terminating → Terminated), with Health and DescribeEvents. As on AWS,
/// a failed deploy also returns to Ready: only Health (Red) and an ERROR event tell. A version whose source
/// bundle key contains "fail-deploy" simulates such a failure. Handlers are grouped by resource in the
/// partial files <c>ElasticBeanstalkService.*.cs</c>.
/// </summary>
internal sealed partial class ElasticBeanstalkService : ServiceHandler<ElasticBeanstalkState>
{
    readonly BeanstalkLifecycle _lifecycle;
    public override string Name => "elasticbeanstalk";

    public ElasticBeanstalkService(StateStore store, LifecycleDelays delays) : base(store)
    {
        _lifecycle = new BeanstalkLifecycle(delays.Environment);

        On("CreateApplication", CreateApplication);
        On("DescribeApplications", DescribeApplications);
        On("DeleteApplication", DeleteApplication);

        On("CreateApplicationVersion", CreateApplicationVersion);
        On("DescribeApplicationVersions", DescribeApplicationVersions);
        On("DeleteApplicationVersion", DeleteApplicationVersion);

        On("CreateEnvironment", CreateEnvironment);
        On("DescribeEnvironments", DescribeEnvironments);
        On("UpdateEnvironment", UpdateEnvironment);
        On("TerminateEnvironment", TerminateEnvironment);
        On("DescribeEnvironmentHealth", DescribeEnvironmentHealth);
        On("DescribeEvents", DescribeEvents);

        On("CreateStorageLocation", CreateStorageLocation);
        On("ListAvailableSolutionStacks", ListAvailableSolutionStacks);
    }

    /// <summary>Runs a read with lifecycle transitions completed first (which may log events, so it persists).</summary>
    JsonNode? Read(RequestContext c, Func<JsonNode?> body)
    {
        lock (Gate)
        {
            _lifecycle.Advance(State, c);
            Persist();
            return body();
        }
    }

    /// <summary>Runs a change with lifecycle transitions completed first, then persists.</summary>
    JsonNode? Write(RequestContext c, Func<JsonNode?> body)
    {
        lock (Gate)
        {
            _lifecycle.Advance(State, c);
            var result = body();
            Persist();
            return result;
        }
    }

    string Status(BeanstalkEnvironment e, DateTimeOffset now) => _lifecycle.Status(e, now);

    void Event(RequestContext c, BeanstalkEnvironment e, string severity, string message) => BeanstalkLifecycle.Event(State, c, e, severity, message);
}
