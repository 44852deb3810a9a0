using System.Reflection;
using Microsoft.ML;

namespace NeuralNet.MLNet.Internal;

/// <summary>The <see cref="MLContext"/> behind one of ML.NET's trainer catalogs.</summary>
/// <remarks>
/// A trainer needs its context twice: to log to <see cref="MLContext.Log"/>, and to build the ML.NET transforms that
/// score with the trained network. ML.NET's own trainers read it through an interface that is internal to ML.NET
/// (<c>IInternalCatalog.Environment</c>); no public member hands it out, so it is read here, once per trainer. Should a
/// later ML.NET move it, the trainer still works, with a context of its own: only the log lines are lost, which the
/// log test catches.
/// </remarks>
internal static class CatalogContext
{
    /// <summary>The catalog's context, or a new one seeded with <paramref name="seed"/> when it cannot be read.</summary>
    public static MLContext Of(object catalog, int seed)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Type? internalCatalog = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == "Microsoft.ML.Data.IInternalCatalog");
        PropertyInfo? environment = internalCatalog?.GetProperty("Environment", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
        return environment?.GetValue(catalog) as MLContext ?? new MLContext(seed);
    }
}
