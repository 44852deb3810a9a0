using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Samples.ArticleExample;

/// <summary>Two interleaved half-moons: a two-class set in the plane that no straight line separates.</summary>
internal static class HalfMoons
{
    /// <summary>
    /// <paramref name="count"/> points, alternately from the upper moon (class 0: the arc (cos t, sin t)) and the lower
    /// one (class 1: (1 − cos t, ½ − sin t)), t uniform in [0, π], each coordinate moved by Gaussian noise of standard
    /// deviation <paramref name="noise"/>. The same seed gives the same points on every machine.
    /// </summary>
    public static (Matrix<double> Points, int[] Labels) Generate(int count, double noise, int seed)
    {
        var random = new RandomSource(seed);
        Matrix<double> points = Matrix<double>.Build.Dense(count, 2);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            double t = Math.PI * random.NextDouble();
            labels[i] = i % 2;
            (double x, double y) = labels[i] == 0 ? (Math.Cos(t), Math.Sin(t)) : (1 - Math.Cos(t), 0.5 - Math.Sin(t));
            points[i, 0] = x + (noise * random.NextGaussian());
            points[i, 1] = y + (noise * random.NextGaussian());
        }

        return (points, labels);
    }
}
