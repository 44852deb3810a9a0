using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Internal;

namespace NeuralNet.Training;

/// <summary>
/// Training for networks: <c>network.Fit(…)</c> on matrices, class labels, a dataset or a stream of batches. Each call
/// runs a fresh training (with fresh update-rule state) from the network's current weights; to continue an
/// interrupted one, resume its checkpoint (<see cref="TrainingCheckpoint"/>).
/// </summary>
/// <remarks>
/// Training runs every layer in training mode and validation in inference mode. While it runs, the network refuses
/// predictions and other training from other threads (see <see cref="Network{T}"/>).
/// </remarks>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "Each overload takes different data (matrices, labels, a dataset, a stream), so no call is ambiguous; they are NeuralNet 1.0's Network.Fit overloads, moved.")]
public static class TrainingExtensions
{
    /// <summary>Trains on <paramref name="inputs"/> and <paramref name="targets"/>.</summary>
    /// <typeparam name="T">The element type, float or double.</typeparam>
    /// <param name="network">The network to train.</param>
    /// <param name="inputs">Samples × <see cref="Network{T}.InputSize"/>, all finite.</param>
    /// <param name="targets">Samples × <see cref="Network{T}.OutputSize"/>, all finite (one-hot rows for softmax cross-entropy).</param>
    /// <param name="options">How to train; the defaults of <see cref="TrainingOptions"/> when null.</param>
    /// <param name="cancellationToken">Stops training between two updates; the network keeps the weights of the last update.</param>
    /// <returns>The per-epoch record of the run.</returns>
    /// <exception cref="ArgumentException">Empty data, mismatched shapes or counts, a non-finite value, or an option out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the weights became non-finite; the network keeps the weights it had at the start of that epoch.</exception>
    /// <exception cref="InvalidOperationException">The network is already being trained.</exception>
    public static TrainingHistory Fit<T>(this Network<T> network, Matrix<T> inputs, Matrix<T> targets, TrainingOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new TrainingOptions();
        options.Check();
        Guard.NotEmpty(inputs, nameof(inputs));
        ArgumentNullException.ThrowIfNull(targets);
        Guard.Columns(inputs, network.InputSize, network.Describe(), nameof(inputs));
        Guard.SameRowCount(inputs, targets.RowCount, nameof(targets));
        Guard.Columns(targets, network.OutputSize, network.Describe(), nameof(targets));
        Guard.Finite(inputs, nameof(inputs));
        Guard.Finite(targets, nameof(targets));
        return network.Fit(Dataset.ForRegression(inputs, targets), options, null, cancellationToken);
    }

    /// <summary>Trains a classifier on <paramref name="inputs"/> and class <paramref name="labels"/>.</summary>
    /// <typeparam name="T">The element type, float or double.</typeparam>
    /// <param name="network">The network to train.</param>
    /// <param name="inputs">Samples × <see cref="Network{T}.InputSize"/>, all finite.</param>
    /// <param name="labels">One class index per sample, in [0, <see cref="Network{T}.OutputSize"/>), or 0/1 with a single output.</param>
    /// <param name="options">How to train; the defaults of <see cref="TrainingOptions"/> when null.</param>
    /// <param name="cancellationToken">Stops training between two updates; the network keeps the weights of the last update.</param>
    /// <returns>The per-epoch record of the run.</returns>
    /// <exception cref="ArgumentException">Empty data, a label count that differs from the sample count, a label out of range, a non-finite input, or an option out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the weights became non-finite; the network keeps the weights it had at the start of that epoch.</exception>
    /// <exception cref="InvalidOperationException">The network is already being trained.</exception>
    public static TrainingHistory Fit<T>(this Network<T> network, Matrix<T> inputs, IReadOnlyList<int> labels, TrainingOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new TrainingOptions();
        options.Check();
        Guard.NotEmpty(inputs, nameof(inputs));
        Guard.Columns(inputs, network.InputSize, network.Describe(), nameof(inputs));
        _ = TargetEncoding.Targets(network, labels, inputs.RowCount);
        Guard.Finite(inputs, nameof(inputs));
        return network.Fit(Dataset.ForClassification(inputs, labels, network.ClassCount), options, null, cancellationToken);
    }

    /// <summary>Trains on a dataset, validating after every epoch on <paramref name="validation"/> when given.</summary>
    /// <typeparam name="T">The element type, float or double.</typeparam>
    /// <param name="network">The network to train.</param>
    /// <param name="train">The training data: classification labels for the cross-entropy losses, or targets of <see cref="Network{T}.OutputSize"/> columns.</param>
    /// <param name="options">How to train; the defaults of <see cref="TrainingOptions"/> when null.</param>
    /// <param name="validation">Held-out data scored after every epoch; when null, <see cref="TrainingOptions.ValidationFraction"/> of <paramref name="train"/> is held out.</param>
    /// <param name="cancellationToken">Stops training between two updates; the network keeps the weights of the last update.</param>
    /// <returns>The per-epoch record of the run.</returns>
    /// <exception cref="ArgumentException">The data does not fit the network, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the weights became non-finite; the network keeps the weights it had at the start of that epoch.</exception>
    /// <exception cref="InvalidOperationException">The network is already being trained.</exception>
    public static TrainingHistory Fit<T>(this Network<T> network, Dataset<T> train, TrainingOptions? options = null, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new TrainingOptions();
        return Trainer<T>.Fit(network, train, options, validation, new TrainingState<T>(new RandomSource(options.Seed)), cancellationToken);
    }

    /// <summary>
    /// Trains on batches read lazily, so data larger than memory can be used: <paramref name="batches"/> is enumerated
    /// afresh every epoch and each batch it yields makes one update (the gradient descent option does not apply).
    /// </summary>
    /// <typeparam name="T">The element type, float or double.</typeparam>
    /// <param name="network">The network to train.</param>
    /// <param name="batches">The batches; each with inputs of <see cref="Network{T}.InputSize"/> and targets of <see cref="Network{T}.OutputSize"/> columns.</param>
    /// <param name="options">How to train; the defaults of <see cref="TrainingOptions"/> when null.</param>
    /// <param name="validation">Held-out data scored after every epoch, or null.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The per-epoch record of the run.</returns>
    /// <exception cref="ArgumentException">A batch does not fit the network or holds a non-finite value, the source is empty, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the weights became non-finite; the network keeps the weights it had at the start of that epoch.</exception>
    /// <exception cref="InvalidOperationException">The network is already being trained.</exception>
    public static TrainingHistory Fit<T>(this Network<T> network, IEnumerable<DataBatch<T>> batches, TrainingOptions? options = null, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(batches);
        Trainer<T> trainer = Streaming(network, options, validation);
        return trainer.Run(() => batches.Select(trainer.Checked), cancellationToken);
    }

    /// <summary>Trains on batches produced asynchronously (read from a file or the network as training goes).</summary>
    /// <typeparam name="T">The element type, float or double.</typeparam>
    /// <param name="network">The network to train.</param>
    /// <param name="batches">The batches, enumerated afresh every epoch; each makes one update.</param>
    /// <param name="options">How to train; the defaults of <see cref="TrainingOptions"/> when null.</param>
    /// <param name="validation">Held-out data scored after every epoch, or null.</param>
    /// <param name="cancellationToken">Stops training between two updates.</param>
    /// <returns>The per-epoch record of the run.</returns>
    /// <exception cref="ArgumentException">A batch does not fit the network or holds a non-finite value, the source is empty, or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the weights became non-finite; the network keeps the weights it had at the start of that epoch.</exception>
    /// <exception cref="InvalidOperationException">The network is already being trained.</exception>
    public static Task<TrainingHistory> FitAsync<T>(this Network<T> network, IAsyncEnumerable<DataBatch<T>> batches, TrainingOptions? options = null, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(batches);
        return Streaming(network, options, validation).RunAsync(batches, cancellationToken);
    }

    /// <summary>A trainer for a stream of batches: from a fresh state, or from a checkpoint's <paramref name="state"/>.</summary>
    internal static Trainer<T> Streaming<T>(Network<T> network, TrainingOptions? options, Dataset<T>? validation, TrainingState<T>? state = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= new TrainingOptions();
        options.Check();
        if (options.ValidationFraction > 0)
        {
            throw new ArgumentException(FormattableString.Invariant($"A stream of batches cannot be split for validation: pass validation data instead of ValidationFraction {options.ValidationFraction}."), nameof(options));
        }

        (Matrix<T>, Matrix<T>)? shaped = validation is null ? null : Trainer<T>.Shaped(network, validation, nameof(validation));
        return new Trainer<T>(network, options, state ?? new TrainingState<T>(new RandomSource(options.Seed)), shaped);
    }
}
