using System.Collections;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace MnistCnn;

/// <summary>
/// The training images in a fresh random order each epoch, each moved by a random whole number of pixels, up to
/// <c>maxShift</c> in each direction (the pixels moved in are black): the network sees a slightly different digit every
/// epoch, which makes up for the subset's 8,000 images.
/// </summary>
/// <param name="train">The training images, 28×28, one per row, and their one-hot targets.</param>
/// <param name="batchSize">Images per batch.</param>
/// <param name="maxShift">The largest shift along each axis; 0 leaves the images as they are.</param>
/// <param name="seed">Seeds the order and the shifts, so that a run can be repeated.</param>
internal sealed class ShiftedBatches(Dataset<float> train, int batchSize, int maxShift, int seed) : IEnumerable<DataBatch<float>>
{
    private const int Side = 28;
    private readonly Random _random = new(seed);
    private readonly float[] _pixels = train.Features.ToColumnMajorArray();

    public IEnumerator<DataBatch<float>> GetEnumerator()
    {
        int count = train.Count;
        int[] order = [.. Enumerable.Range(0, count)];
        _random.Shuffle(order);
        for (int first = 0; first < count; first += batchSize)
        {
            int rows = Math.Min(batchSize, count - first);
            var inputs = Matrix<float>.Build.Dense(rows, Side * Side);
            var targets = Matrix<float>.Build.Dense(rows, train.Targets.ColumnCount);
            for (int r = 0; r < rows; r++)
            {
                int sample = order[first + r];
                Shift(sample, r, rows, inputs.AsColumnMajorArray()!, _random.Next(-maxShift, maxShift + 1), _random.Next(-maxShift, maxShift + 1));
                targets.SetRow(r, train.Targets.Row(sample));
            }

            yield return new DataBatch<float>(inputs, targets);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Copies image <paramref name="sample"/> into row <paramref name="row"/>, moved <paramref name="dx"/> right and <paramref name="dy"/> down.</summary>
    private void Shift(int sample, int row, int rows, float[] target, int dx, int dy)
    {
        for (int y = 0; y < Side; y++)
        {
            int from = y - dy;
            if (from < 0 || from >= Side)
            {
                continue;
            }

            for (int x = 0; x < Side; x++)
            {
                int fromX = x - dx;
                if (fromX >= 0 && fromX < Side)
                {
                    target[(((y * Side) + x) * rows) + row] = _pixels[((((from * Side) + fromX) * train.Count)) + sample];
                }
            }
        }
    }
}
