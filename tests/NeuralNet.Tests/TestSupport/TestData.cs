using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests.TestSupport;

/// <summary>
/// The data tests run on: random matrices, Gaussian blobs, labels and one-hot targets, all drawn from a
/// <see cref="Random"/> the calling test owns and seeds.
/// </summary>
/// <remarks>
/// Each generator draws in a fixed, documented order. Tests compare against numbers found on this data (thresholds,
/// the epoch early stopping ends in, losses worked out by hand), so a change to what a generator draws, or in what
/// order, changes every such test at once: keep the draws as they are.
/// </remarks>
internal static class TestData
{
    /// <summary>A standard normal value by the Box–Muller transform, from two uniform draws.</summary>
    /// <param name="random">The source of the two uniform draws.</param>
    /// <returns>A draw from N(0, 1).</returns>
    public static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A rows × columns matrix with entries drawn uniformly from [−limit, limit), column by column.</summary>
    /// <param name="random">The source of the draws, one per entry.</param>
    /// <param name="rows">The number of rows (samples).</param>
    /// <param name="columns">The number of columns.</param>
    /// <param name="limit">Half the width of the interval.</param>
    /// <returns>The matrix.</returns>
    public static Matrix<double> RandomMatrix(Random random, int rows, int columns, double limit = 1)
        => RandomMatrix<double>(random, rows, columns, limit);

    /// <summary>
    /// A rows × columns matrix with entries drawn uniformly from [−limit, limit), column by column, in double and then
    /// rounded to <typeparamref name="T"/>, so that a float and a double matrix from the same seed hold the same values
    /// up to float rounding.
    /// </summary>
    /// <inheritdoc cref="RandomMatrix(Random, int, int, double)"/>
    public static Matrix<T> RandomMatrix<T>(Random random, int rows, int columns, double limit = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Matrix<T>.Build.Dense(rows, columns, (_, _) => T.CreateChecked(((2 * random.NextDouble()) - 1) * limit));

    /// <summary>A rows × columns matrix of standard normal values (<see cref="Gaussian"/>), column by column.</summary>
    /// <param name="random">The source of the draws, two per entry.</param>
    /// <param name="rows">The number of rows (samples).</param>
    /// <param name="columns">The number of columns.</param>
    /// <returns>The matrix.</returns>
    public static Matrix<double> GaussianMatrix(Random random, int rows, int columns)
        => Matrix<double>.Build.Dense(rows, columns, (_, _) => Gaussian(random));

    /// <summary>
    /// Gaussian blobs: one row per label, holding the centre of the label's class plus <paramref name="spread"/> times
    /// standard normal noise in every feature, computed in double and rounded to <typeparamref name="T"/>.
    /// </summary>
    /// <typeparam name="T">The precision of the matrix.</typeparam>
    /// <param name="random">The source of the noise, two draws per entry.</param>
    /// <param name="centres">The centre of each class; all of the same length, the feature count.</param>
    /// <param name="labels">The class of each sample (see <see cref="Interleaved"/> and <see cref="Grouped"/>).</param>
    /// <param name="spread">The standard deviation of the noise.</param>
    /// <param name="order">Which entry draws its noise first.</param>
    /// <returns>A labels.Count × features matrix; rows are samples.</returns>
    public static Matrix<T> Blobs<T>(Random random, double[][] centres, IReadOnlyList<int> labels, double spread, DrawOrder order = DrawOrder.FeatureByFeature)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T Sample(int i, int j) => T.CreateChecked(centres[labels[i]][j] + (spread * Gaussian(random)));

        int features = centres[0].Length;
        if (order == DrawOrder.FeatureByFeature)
        {
            return Matrix<T>.Build.Dense(labels.Count, features, Sample);
        }

        var values = new T[labels.Count, features];
        for (int i = 0; i < labels.Count; i++)
        {
            for (int j = 0; j < features; j++)
            {
                values[i, j] = Sample(i, j);
            }
        }

        return Matrix<T>.Build.DenseOfArray(values);
    }

    /// <summary>The labels 0, 1, …, classes − 1, 0, 1, …: <paramref name="count"/> of them, the classes taking turns.</summary>
    /// <param name="count">The number of labels.</param>
    /// <param name="classes">The number of classes.</param>
    /// <returns>Label i is i mod classes.</returns>
    public static int[] Interleaved(int count, int classes) => [.. Enumerable.Range(0, count).Select(i => i % classes)];

    /// <summary>The classes one after the other: sizes[0] zeros, then sizes[1] ones, and so on.</summary>
    /// <param name="sizes">The number of samples of each class.</param>
    /// <returns>The labels.</returns>
    public static int[] Grouped(params int[] sizes) => [.. sizes.SelectMany((size, label) => Enumerable.Repeat(label, size))];

    /// <summary>Labels drawn uniformly from [0, classes), one draw each, in order.</summary>
    /// <param name="random">The source of the draws.</param>
    /// <param name="count">The number of labels.</param>
    /// <param name="classes">The number of classes.</param>
    /// <returns>The labels.</returns>
    public static int[] RandomLabels(Random random, int count, int classes) => [.. Enumerable.Range(0, count).Select(_ => random.Next(classes))];

    /// <summary>One-hot targets of random classes: <see cref="RandomLabels"/> encoded by <see cref="OneHot(IReadOnlyList{int}, int)"/>.</summary>
    /// <param name="random">The source of the draws, one per row.</param>
    /// <param name="rows">The number of rows (samples).</param>
    /// <param name="classes">The number of columns.</param>
    /// <returns>A rows × classes matrix.</returns>
    public static Matrix<double> RandomOneHot(Random random, int rows, int classes) => OneHot(RandomLabels(random, rows, classes), classes);

    /// <summary>One-hot targets: row i has a 1 in column labels[i] and 0 elsewhere.</summary>
    /// <param name="labels">The class of each row.</param>
    /// <param name="classes">The number of columns.</param>
    /// <returns>A labels.Count × classes matrix.</returns>
    /// <remarks>Written out here rather than taken from <c>OneHot.Encode</c>, so that tests of other parts do not rest on it.</remarks>
    public static Matrix<double> OneHot(IReadOnlyList<int> labels, int classes) => OneHot<double>(labels, classes);

    /// <summary>One-hot targets of precision <typeparamref name="T"/>: row i has a 1 in column labels[i] and 0 elsewhere.</summary>
    /// <typeparam name="T">The precision of the matrix.</typeparam>
    /// <inheritdoc cref="OneHot(IReadOnlyList{int}, int)"/>
    public static Matrix<T> OneHot<T>(IReadOnlyList<int> labels, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Matrix<T>.Build.Dense(labels.Count, classes, (i, j) => labels[i] == j ? T.One : T.Zero);
}
