using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace NeuralNet.MLNet.Internal;

/// <summary>The ML.NET environment behind one of ML.NET's trainer catalogs: where its <see cref="MLContext.Log"/> messages go.</summary>
/// <remarks>
/// ML.NET's own trainers log through their catalog's environment, read through an interface that is internal to ML.NET
/// (<c>IInternalCatalog.Environment</c>); no public member hands it out, so it is read here, once per trainer. Should a
/// later ML.NET move it, the trainer still works and logs to an environment of its own: only the log lines are lost,
/// which the log test catches.
/// </remarks>
internal static class CatalogContext
{
    /// <summary>The catalog's environment, or <paramref name="fallback"/> when it cannot be read.</summary>
    public static IHostEnvironment Environment(object catalog, MLContext fallback)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Type? internalCatalog = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == "Microsoft.ML.Data.IInternalCatalog");
        PropertyInfo? environment = internalCatalog?.GetProperty("Environment", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
        return environment?.GetValue(catalog) as IHostEnvironment ?? fallback;
    }
}
