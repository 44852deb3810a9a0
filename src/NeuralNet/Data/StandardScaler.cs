using System.Numerics;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>Loads <see cref="StandardScaler{T}"/> instances saved with <see cref="StandardScaler{T}.Save(string)"/>.</summary>
public static class StandardScaler
{
    /// <summary>Loads a scaler saved with <see cref="StandardScaler{T}.Save(string)"/> (or written by another tool in that format).</summary>
    /// <typeparam name="T">The precision to load it in: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>A fitted scaler.</returns>
    /// <exception cref="DataFormatException">The file is not a version 1 scaler file of type <c>standard</c>, or holds lists of different lengths, values that are not finite in <typeparamref name="T"/>, or a negative standard deviation.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or blank.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static StandardScaler<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        return FromFile(ScalerFile.Load<T>(path, StandardScaler<T>.FileType, "mean", "standard_deviation"));
    }

    /// <summary>Loads a scaler saved with <see cref="StandardScaler{T}.Save(Stream)"/>, reading the stream to its end.</summary>
    /// <typeparam name="T">The precision to load it in: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="stream">A readable stream.</param>
    /// <returns>A fitted scaler.</returns>
    /// <exception cref="DataFormatException">The content is not a valid scaler file of type <c>standard</c> (see <see cref="Load{T}(string)"/>).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static StandardScaler<T> Load<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        return FromFile(ScalerFile.Load<T>(stream, StandardScaler<T>.FileType, "mean", "standard_deviation"));
    }

    private static StandardScaler<T> FromFile<T>((T[] Offsets, T[] Scales) statistics)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return new StandardScaler<T>(statistics.Offsets, statistics.Scales);
        }
        catch (ArgumentException e)
        {
            throw ScalerFile.Invalid(e);
        }
    }
}
