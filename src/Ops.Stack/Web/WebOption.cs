namespace Ops.Stack.Web;

/// <summary>One Elastic Beanstalk option setting: namespace, option name and value.</summary>
public sealed record WebOption(string Namespace, string Name, string Value);
