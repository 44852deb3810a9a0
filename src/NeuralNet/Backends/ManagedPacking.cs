namespace NeuralNet.Backends;

/// <summary>
/// Packing for the managed backend: the register blocks read op(A) one contiguous column at a time, so a transposed
/// A is first copied into that layout.
/// </summary>
internal static class ManagedPacking
{
    /// <summary>Writes <paramref name="source"/> (rows × columns, column-major) transposed into <paramref name="target"/>.</summary>
    internal static void Transpose<T>(T[] source, int rows, int columns, T[] target)
    {
        const int Block = 32;
        for (int j0 = 0; j0 < columns; j0 += Block)
        {
            int j1 = Math.Min(columns, j0 + Block);
            for (int i0 = 0; i0 < rows; i0 += Block)
            {
                int i1 = Math.Min(rows, i0 + Block);
                for (int j = j0; j < j1; j++)
                {
                    for (int i = i0; i < i1; i++)
                    {
                        target[(i * columns) + j] = source[(j * rows) + i];
                    }
                }
            }
        }
    }
}
