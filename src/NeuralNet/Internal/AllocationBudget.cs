namespace NeuralNet.Internal;

/// <summary>
/// Bounds what layer factories may allocate while a file is loaded: the loader grants as many parameter values as the
/// file holds for the layer, and every <see cref="Parameter{T}"/> created meanwhile draws on that grant before it
/// allocates. A hostile configuration claiming a huge layer is refused before any memory is taken, whatever the layer
/// type.
/// </summary>
internal static class AllocationBudget
{
    [ThreadStatic]
    private static long? _remaining;

    /// <summary>Grants <paramref name="values"/> parameter values to the current thread until the scope is disposed.</summary>
    public static Scope Grant(long values)
    {
        long? outer = _remaining;
        _remaining = values;
        return new Scope(outer);
    }

    /// <summary>Takes <paramref name="values"/> from the grant, if one is in force; throws <see cref="InvalidDataException"/> when it would be exceeded.</summary>
    public static void Take(long values)
    {
        if (_remaining is not long remaining)
        {
            return;
        }

        if (values > remaining)
        {
            throw new InvalidDataException($"its parameters need {values} more values, but the file holds only {remaining} more for it");
        }

        _remaining = remaining - values;
    }

    /// <summary>Ends a grant.</summary>
    internal readonly struct Scope(long? outer) : IDisposable
    {
        public void Dispose() => _remaining = outer;
    }
}
