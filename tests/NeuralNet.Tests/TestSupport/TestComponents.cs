using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Components;
using NeuralNet.Layers;

namespace NeuralNet.Tests.TestSupport;

/// <summary>
/// Components written the way a user writes their own, registered once per test run: a layer with a parameter, an
/// activation with a hyper-parameter, a layer that draws at random in training mode, and a layer whose backward pass
/// is deliberately wrong.
/// </summary>
internal static class TestComponents
{
    private static readonly Lazy<bool> Registration = new(() =>
    {
        ComponentRegistry.Layers.Register("test.scale", c => new Scale<float>(c.GetInt32("units")), c => new Scale<double>(c.GetInt32("units")));
        ComponentRegistry.Layers.Register("test.noise", c => new Noise<float>(c.GetInt32("units"), c.GetDouble("sigma")), c => new Noise<double>(c.GetInt32("units"), c.GetDouble("sigma")));
        ComponentRegistry.Layers.Register("test.wrong_scale", c => new WrongScale<float>(c.GetInt32("units")), c => new WrongScale<double>(c.GetInt32("units")));
        ComponentRegistry.Activations.Register("test.softsign", c => new Softsign(c.GetDouble("steepness")));
        return true;
    });

    /// <summary>Registers the test components, once.</summary>
    public static void Register() => _ = Registration.Value;

    /// <summary><c>y = x ⊙ s</c> with a learnable scale per unit (parameter <c>scale</c>, 1 × units, starting at 1 ± 0.5).</summary>
    internal class Scale<T>(int units) : Layer<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private Matrix<T>? _input;
        private Matrix<T>? _output;
        private Matrix<T>? _inputGradient;

        public Parameter<T> Factors { get; } = new("scale", 1, units, decays: false);

        public override string Name => "test.scale";

        public override int InputSize => units;

        public override int OutputSize => units;

        public override IReadOnlyList<Parameter<T>> Parameters => [Factors];

        public override ComponentConfig GetConfig() => new ComponentConfig().Set("units", units);

        protected internal override void InferCore(Matrix<T> input, Matrix<T> output)
        {
            for (int j = 0; j < units; j++)
            {
                output.SetColumn(j, input.Column(j) * Factors.Value[0, j]);
            }
        }

        protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
        {
            _input = input;
            _output = Matrix<T>.Build.Dense(input.RowCount, units);
            InferCore(input, _output);
            return _output;
        }

        protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
        {
            // dX = dY ⊙ s first, while s is as the forward pass used it; then ds = Σ_rows dY ⊙ X.
            _inputGradient = Matrix<T>.Build.Dense(outputGradient.RowCount, units);
            for (int j = 0; j < units; j++)
            {
                _inputGradient.SetColumn(j, outputGradient.Column(j) * Factors.Value[0, j]);
            }

            Factors.AddGradientColumnSums(GradientScale() * outputGradient.PointwiseMultiply(_input!));
            return computeInputGradient ? _inputGradient : null;
        }

        protected internal override void Initialize(RandomSource random)
        {
            for (int j = 0; j < units; j++)
            {
                Factors.Value[0, j] = T.CreateChecked(0.5 + random.NextDouble());
            }
        }

        /// <summary>1 for a correct backward pass.</summary>
        protected virtual T GradientScale() => T.One;
    }

    /// <summary>The scale layer with its parameter's gradient doubled: a bug the gradient check must catch.</summary>
    internal sealed class WrongScale<T>(int units) : Scale<T>(units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override string Name => "test.wrong_scale";

        protected override T GradientScale() => T.CreateChecked(2);
    }

    /// <summary>Adds N(0, σ²) noise in training mode, drawn from the training's generator; the identity in inference mode.</summary>
    internal sealed class Noise<T>(int units, double sigma) : Layer<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int TrainingPasses { get; private set; }

        public int InferencePasses { get; private set; }

        public override string Name => "test.noise";

        public override int InputSize => units;

        public override int OutputSize => units;

        public override ComponentConfig GetConfig() => new ComponentConfig().Set("units", units).Set("sigma", sigma);

        protected internal override void InferCore(Matrix<T> input, Matrix<T> output)
        {
            InferencePasses++;
            input.CopyTo(output);
        }

        protected internal override Matrix<T> ForwardCore(Matrix<T> input, TrainingContext context)
        {
            TrainingPasses++;
            return input.Map(x => x + T.CreateChecked(sigma * context.Random.NextGaussian()));
        }

        protected internal override Matrix<T>? BackwardCore(Matrix<T> outputGradient, bool computeInputGradient)
            => computeInputGradient ? outputGradient : null;
    }

    /// <summary><c>k·z / (1 + |k·z|)</c>, with derivative <c>k / (1 + |k·z|)²</c>.</summary>
    internal sealed class Softsign(double steepness) : Activation
    {
        public override string Name => "test.softsign";

        public override ComponentConfig GetConfig() => new ComponentConfig().Set("steepness", steepness);

        protected internal override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, int rows)
        {
            T k = T.CreateChecked(steepness);
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = k * z[i] / (T.One + T.Abs(k * z[i]));
            }
        }

        protected internal override void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz, int rows)
        {
            T k = T.CreateChecked(steepness);
            for (int i = 0; i < dz.Length; i++)
            {
                T d = T.One + T.Abs(k * z[i]);
                dz[i] = da[i] * k / (d * d);
            }
        }
    }
}
