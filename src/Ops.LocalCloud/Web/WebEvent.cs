namespace Ops.LocalCloud.Web;

/// <summary>An environment event a web process produced (its time, severity and message), for Elastic Beanstalk's DescribeEvents.</summary>
internal sealed record WebEvent(DateTimeOffset Time, string Severity, string Message);
