using System.Numerics;
using NeuralNet.Internal;

namespace NeuralNet.Data;

/// <summary>Loads <see cref="MinMaxScaler{T}"/> instances saved with <see cref="MinMaxScaler{T}.Save(string)"/>.</summary>
public static class MinMaxScaler
{
    /// <summary>Loads a scaler saved with <see cref="MinMaxScaler{T}.Save(string)"/> (or written by another tool in that format).</summary>
    /// <typeparam name="T">The precision to load it in: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>A fitted scaler.</returns>
    /// <exception cref="DataFormatException">The file is not a version 1 scaler file of type <c>min_max</c>, or holds lists of different lengths, values that are not finite in <typeparamref name="T"/>, or a negative range.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or blank.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static MinMaxScaler<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        return FromFile(ScalerFile.Load<T>(path, MinMaxScaler<T>.FileType, "minimum", "range"));
    }

    /// <summary>Loads a scaler saved with <see cref="MinMaxScaler{T}.Save(Stream)"/>, reading the stream to its end.</summary>
    /// <typeparam name="T">The precision to load it in: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="stream">A readable stream.</param>
    /// <returns>A fitted scaler.</returns>
    /// <exception cref="DataFormatException">The content is not a valid scaler file of type <c>min_max</c> (see <see cref="Load{T}(string)"/>).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static MinMaxScaler<T> Load<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Precision<T>();
        return FromFile(ScalerFile.Load<T>(stream, MinMaxScaler<T>.FileType, "minimum", "range"));
    }

    private static MinMaxScaler<T> FromFile<T>((T[] Offsets, T[] Scales) statistics)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return new MinMaxScaler<T>(statistics.Offsets, statistics.Scales);
        }
        catch (ArgumentException e)
        {
            throw ScalerFile.Invalid(e);
        }
    }
}
