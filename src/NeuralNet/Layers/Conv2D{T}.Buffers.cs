using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Internal;

namespace NeuralNet.Layers;

// The part of Conv2D<T> that holds a training step's buffers for one batch size.
public sealed partial class Conv2D<T>
{
    /// <summary>
    /// The training buffers for one batch size. Each matrix of samples × (F·P) values is also seen, through a view on
    /// the same array, as the (P·samples) × F matrix the products work on.
    /// </summary>
    private sealed class Buffers
    {
        public Buffers(int rows, WindowGeometry g, bool identity)
        {
            Rows = rows;
            int positions = g.Positions;
            int window = g.Input.Channels * g.WindowSize;
            Guard.MatrixSize((long)positions * rows, window, "Conv2D's column matrix for a training batch", nameof(rows));
            Columns = new T[positions * rows * window];
            ColumnsView = Matrix<T>.Build.Dense(positions * rows, window, Columns);
            Z = Storage.NewDense<T>(rows, g.Output.Size);
            ZView = View(Z, positions * rows, g.Output.Channels);
            A = identity ? Z : Storage.NewDense<T>(rows, g.Output.Size);
            DZ = Storage.NewDense<T>(rows, g.Output.Size);
            DZView = View(DZ, positions * rows, g.Output.Channels);
        }

        public int Rows { get; }

        public T[] Columns { get; }

        public Matrix<T> ColumnsView { get; }

        public Matrix<T> Z { get; }

        public Matrix<T> ZView { get; }

        public Matrix<T> A { get; }

        public Matrix<T> DZ { get; }

        public Matrix<T> DZView { get; }

        public T[]? ColumnGradient { get; private set; }

        public Matrix<T>? ColumnGradientView { get; private set; }

        public Matrix<T>? InputGradient { get; private set; }

        /// <summary>Makes dCols and dX at the first backward pass that asks for them: the first layer never does.</summary>
        public void EnsureInputGradient(WindowGeometry g)
        {
            if (InputGradient is null)
            {
                ColumnGradient = new T[Columns.Length];
                ColumnGradientView = Matrix<T>.Build.Dense(ColumnsView.RowCount, ColumnsView.ColumnCount, ColumnGradient);
                InputGradient = Storage.NewDense<T>(Rows, g.Input.Size);
            }
        }

        private static Matrix<T> View(Matrix<T> matrix, int rows, int columns) => Matrix<T>.Build.Dense(rows, columns, Storage.Of(matrix));
    }
}
