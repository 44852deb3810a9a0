using NeuralNet.Backends;

namespace NeuralNet.Benchmarks;

/// <summary>The matrix backends a benchmark can run on: <c>managed</c> always, <c>openblas</c> when libopenblas loads.</summary>
public static class BenchmarkBackends
{
    /// <summary>The names of the backends available on this machine, for <c>[ParamsSource]</c>.</summary>
    public static IEnumerable<string> Available()
    {
        yield return MatrixBackend.Managed.Name;
        if (MatrixBackend.OpenBlas is { } openBlas)
        {
            yield return openBlas.Name;
        }
    }

    /// <summary>The backend called <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">The backend is not available here.</exception>
    public static MatrixBackend Get(string name)
    {
        if (name == MatrixBackend.Managed.Name)
        {
            return MatrixBackend.Managed;
        }

        if (MatrixBackend.OpenBlas is { } openBlas && name == openBlas.Name)
        {
            return openBlas;
        }

        throw new InvalidOperationException($"Backend '{name}' is not available on this machine.");
    }

    /// <summary>
    /// Makes <paramref name="name"/> NeuralNet's current backend, after checking it against MathNet on the products of
    /// dense layers of the given sizes at <paramref name="batch"/> rows (all three, or only the forward product).
    /// </summary>
    /// <exception cref="InvalidOperationException">The backend is unavailable or disagrees with MathNet.</exception>
    public static MatrixBackend Use(string name, int batch, IEnumerable<(int Inputs, int Outputs)> layers, bool forwardOnly = false)
    {
        ArgumentNullException.ThrowIfNull(layers);
        MatrixBackend backend = Get(name);
        BackendCheck.Verify(backend, layers.SelectMany(layer => forwardOnly
            ? [ProductShape.Of(Product.Forward, batch, layer.Inputs, layer.Outputs)]
            : ProductShape.OfLayer(batch, layer.Inputs, layer.Outputs)));
        MatrixBackend.Current = backend;
        return backend;
    }
}
