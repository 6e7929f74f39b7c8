namespace Ops.Stack.Status;

/// <summary>Something that can report the rows of <c>status</c> for the resources it owns, with read-only calls only.</summary>
public interface IStatusSource
{
    Task<IReadOnlyList<ResourceStatus>> StatusAsync(CancellationToken cancellationToken);
}
