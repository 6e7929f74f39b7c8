using Ops.Stack.Core;

namespace Ops.Stack.Web;

/// <summary>build-statics: runs the stack's <c>statics.build</c> command in the repository root and checks it filled <c>statics.directory</c>.</summary>
public sealed class StaticsBuilder(StageContext context)
{
    /// <summary>The directory the build writes, as an absolute path.</summary>
    public string Directory => Path.GetFullPath(Path.Combine(context.RepositoryRoot, context.Stack.Statics.Directory));

    /// <summary>Runs the build (also on a dry run: it changes only local files); a failing command or an empty directory is a CloudStateException.</summary>
    public async Task<IReadOnlyList<Change>> BuildAsync(CancellationToken cancellationToken)
    {
        var argv = context.Stack.Statics.Build;
        if (argv.Count == 0)
            throw new StackException("statics.build is empty; set the command that collects the static files, e.g. [python3, web/manage.py, collectstatic, --noinput, --clear].");
        context.Log.Info($"building statics: {string.Join(' ', argv)}");
        try
        {
            await PrepareCommand.RunAsync("statics.build", argv, context.RepositoryRoot, "build-statics", context.Log, cancellationToken);
        }
        catch (PrepareCommandException e)
        {
            throw new CloudStateException(e.Message);
        }
        var count = System.IO.Directory.Exists(Directory) ? System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories).Count() : 0;
        if (count == 0)
            throw new CloudStateException($"statics.build ran but statics.directory '{context.Stack.Statics.Directory}' is {(System.IO.Directory.Exists(Directory) ? "empty" : "missing")}; make the command write there or change statics.directory in the stack.");
        context.Log.Info($"statics: {count} file(s) in {context.Stack.Statics.Directory}");
        return [];
    }
}
