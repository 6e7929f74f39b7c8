using System.Text.Json.Nodes;
using Ops.LocalCloud.State;
using Ops.LocalCloud.Web;

namespace Ops.LocalCloud.Services.ElasticBeanstalk;

/// <summary>
/// Elastic Beanstalk: applications, versions, environments that launch (Launching → Ready), deploy
/// (Updating → Ready) and terminate (Terminating → Terminated), with Health and DescribeEvents. As on AWS,
/// a failed deploy also returns to Ready: only Health (Red) and an ERROR event tell. With <see cref="WebProcesses"/>
/// (a state directory), an environment with a version runs that version's Procfile web process for real and its
/// status, health and events follow the process; without, they follow the clock and a version whose source
/// bundle key contains "fail-deploy" simulates a failed deploy. Handlers are grouped by resource in the
/// partial files <c>ElasticBeanstalkService.*.cs</c>.
/// </summary>
internal sealed partial class ElasticBeanstalkService : ServiceHandler<ElasticBeanstalkState>, IResumesBackends
{
    const string EnvironmentNamespace = "aws:elasticbeanstalk:application:environment";

    readonly BeanstalkLifecycle _lifecycle;
    readonly WebProcesses? _web;
    readonly S3.S3Service? _s3;
    public override string Name => "elasticbeanstalk";

    public ElasticBeanstalkService(StateStore store, LifecycleDelays delays, S3.S3Service? s3 = null, WebProcesses? web = null) : base(store)
    {
        (_s3, _web) = (s3, web);
        _lifecycle = new BeanstalkLifecycle(delays.Environment, web);

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
        On("DescribeConfigurationSettings", DescribeConfigurationSettings);

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
