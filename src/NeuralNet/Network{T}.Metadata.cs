using System.Collections.ObjectModel;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Internal;

namespace NeuralNet;

// What a network says about its data, beyond its layers: the names of its features and classes, and the scaler its
// regression targets were standardised with. They travel with the network (model files from format 3, ONNX exports),
// and are checked against it when set, never silently mismatched. The type's documentation is on its other part.
public sealed partial class Network<T>
{
    private ReadOnlyCollection<string>? _featureNames;
    private ReadOnlyCollection<string>? _classNames;
    private T[]? _targetMean;
    private T[]? _targetScale;

    /// <summary>The names of the input features, one per input, or null when none were given.</summary>
    /// <remarks>Set with <see cref="NetworkBuilder{T}.WithFeatureNames"/> or here; any name is allowed (an empty one, a repeated one).</remarks>
    /// <exception cref="ArgumentException">Setting a list whose count is not <see cref="InputSize"/> (the message names both counts), or that holds null.</exception>
    /// <exception cref="InvalidOperationException">Setting while the network is being trained on another thread.</exception>
    public IReadOnlyList<string>? FeatureNames
    {
        get => _featureNames;
        set
        {
            Use.ThrowIfHeldElsewhere();
            _featureNames = ModelNames.Features(value, InputSize, Describe(), nameof(value));
        }
    }

    /// <summary>
    /// The names of the classes, one per class (output k is class k; a single sigmoid output separates class 0 from
    /// class 1), or null when none were given.
    /// </summary>
    /// <remarks>
    /// Set with <see cref="NetworkBuilder{T}.WithClassNames"/> or here; training on a <see cref="Dataset{T}"/> whose
    /// <see cref="Dataset{T}.ClassNames"/> are known gives a network without names those names, and refuses a dataset
    /// whose names differ from the network's (a model must never answer with another class's name).
    /// </remarks>
    /// <exception cref="ArgumentException">Setting a list whose count is not the number of classes (the message names both counts), that holds null, or that names two classes alike.</exception>
    /// <exception cref="InvalidOperationException">Setting while the network is being trained on another thread.</exception>
    public IReadOnlyList<string>? ClassNames
    {
        get => _classNames;
        set
        {
            Use.ThrowIfHeldElsewhere();
            _classNames = ModelNames.Classes(value, ClassCount, Describe(), nameof(value));
        }
    }

    /// <summary>
    /// The scaler the regression targets were standardised with before training, or null: the network predicts
    /// standardised targets, and <see cref="PredictInTargetUnits(Matrix{T})"/> maps them back with it.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why beside the network and not a layer inside it: the loss must compare standardised outputs with standardised
    /// targets, so that one learning rate suits targets of any scale. A layer undoing the scaling would make the loss
    /// compare raw units, scaling its gradient by std². So training, <see cref="Network{T}.Predict(Matrix{T})"/> and the
    /// loss stay in standardised units, and only <see cref="PredictInTargetUnits(Matrix{T})"/> (and the ONNX export,
    /// which ends with <c>Mul</c> by std then <c>Add</c> of the mean) apply <c>y · std + mean</c>.
    /// </para>
    /// <para>
    /// Getting it returns a copy, so refitting it does not change the network. A min-max scaling of the targets is the
    /// same map: <c>new StandardScaler&lt;T&gt;(minMax.Minimum, minMax.Range)</c>.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">Setting a scaler of another number of features than <see cref="OutputSize"/>, or on a network whose loss outputs probabilities (the cross-entropy losses: a classifier has no target units).</exception>
    /// <exception cref="InvalidOperationException">Setting a scaler that is not fitted, or while the network is being trained on another thread.</exception>
    public StandardScaler<T>? TargetScaler
    {
        get => _targetMean is null ? null : new StandardScaler<T>(_targetMean, _targetScale!);
        set
        {
            Use.ThrowIfHeldElsewhere();
            (_targetMean, _targetScale) = CheckTargetScaler(value, nameof(value));
        }
    }

    /// <summary>The name of the class predicted for one sample.</summary>
    /// <param name="sample">The sample's <see cref="InputSize"/> features (raw, when the network normalises its inputs itself).</param>
    /// <returns>The name in <see cref="ClassNames"/> of the class <see cref="PredictClasses"/> gives.</returns>
    /// <exception cref="ArgumentException"><paramref name="sample"/> does not have <see cref="InputSize"/> features, or its prediction is not finite.</exception>
    /// <exception cref="InvalidOperationException">The network has no <see cref="ClassNames"/>, or is being trained on another thread.</exception>
    public string PredictLabel(IReadOnlyList<T> sample)
    {
        ReadOnlyCollection<string> names = RequireClassNames();
        return names[ClassDecoderOf(Predict(sample))];
    }

    /// <summary>The names of the classes predicted for each sample.</summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <returns>One class name per sample.</returns>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is empty or has the wrong number of columns, or a sample's prediction is not finite.</exception>
    /// <exception cref="InvalidOperationException">The network has no <see cref="ClassNames"/>, or is being trained on another thread.</exception>
    public string[] PredictLabels(Matrix<T> inputs)
    {
        ReadOnlyCollection<string> names = RequireClassNames();
        return [.. PredictClasses(inputs).Select(k => names[k])];
    }

    /// <summary>
    /// Predictions in the regression targets' own units: <see cref="Predict(Matrix{T})"/> mapped back through
    /// <see cref="TargetScaler"/> (<c>y · std + mean</c>), or <see cref="Predict(Matrix{T})"/> itself when the network has
    /// none (its targets were never scaled).
    /// </summary>
    /// <param name="inputs">Samples × <see cref="InputSize"/>.</param>
    /// <returns>A new samples × <see cref="OutputSize"/> matrix.</returns>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is empty or has the wrong number of columns.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public Matrix<T> PredictInTargetUnits(Matrix<T> inputs)
    {
        Matrix<T> predictions = Predict(inputs);
        if (_targetMean is { } mean)
        {
            ScalerStatistics.InverseInPlace(predictions, mean, _targetScale!);
        }

        return predictions;
    }

    /// <summary>The prediction for one sample in the targets' own units (see <see cref="PredictInTargetUnits(Matrix{T})"/>).</summary>
    /// <param name="sample">The sample's <see cref="InputSize"/> features.</param>
    /// <returns>The <see cref="OutputSize"/> predicted values.</returns>
    /// <exception cref="ArgumentException"><paramref name="sample"/> does not have <see cref="InputSize"/> features.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public T[] PredictInTargetUnits(IReadOnlyList<T> sample)
    {
        T[] values = Predict(sample);
        if (_targetMean is { } mean)
        {
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = (values[k] * _targetScale![k]) + mean[k];
            }
        }

        return values;
    }

    /// <summary>Sets the names and target scaler together, as a builder or a loader does, checking each.</summary>
    internal void SetMetadata(IReadOnlyList<string>? featureNames, IReadOnlyList<string>? classNames, StandardScaler<T>? targetScaler, string? paramName)
    {
        _featureNames = ModelNames.Features(featureNames, InputSize, Describe(), paramName);
        _classNames = ModelNames.Classes(classNames, ClassCount, Describe(), paramName);
        (_targetMean, _targetScale) = CheckTargetScaler(targetScaler, paramName);
    }

    /// <summary>
    /// Takes the class names of data the network is trained on when it has none, and refuses data whose names differ
    /// from its own: the labels would then mean other classes than the network's names say.
    /// </summary>
    internal void AdoptClassNames(IReadOnlyList<string>? names, string paramName)
    {
        if (names is null)
        {
            return;
        }

        Use.ThrowIfHeldElsewhere();
        if (_classNames is null)
        {
            _classNames = ModelNames.Classes(names, ClassCount, Describe(), paramName);
        }
        else if (!_classNames.SequenceEqual(names, StringComparer.Ordinal))
        {
            throw new ArgumentException($"{Describe()} names its classes {ModelNames.Describe(_classNames)}, but {paramName} names them {ModelNames.Describe(names)}; the labels would mean other classes than the network's names say. Give the network the data's names (ClassNames), or renumber the data's labels.", paramName);
        }
    }

    /// <summary>
    /// As <see cref="AdoptClassNames"/>, for the names of the features: training data that names its columns (a CSV
    /// header) gives a network without feature names those names, and data whose columns are named otherwise is refused,
    /// since its columns may be in another order.
    /// </summary>
    internal void AdoptFeatureNames(IReadOnlyList<string>? names, string paramName)
    {
        if (names is null)
        {
            return;
        }

        Use.ThrowIfHeldElsewhere();
        if (_featureNames is null)
        {
            _featureNames = ModelNames.Features(names, InputSize, Describe(), paramName);
        }
        else if (!_featureNames.SequenceEqual(names, StringComparer.Ordinal))
        {
            throw new ArgumentException($"{Describe()} names its features {ModelNames.Describe(_featureNames)}, but {paramName} names its columns {ModelNames.Describe(names)}; the columns may be in another order. Give the network the data's names (FeatureNames), or select the data's columns in the network's order.", paramName);
        }
    }

    private (T[]? Mean, T[]? Scale) CheckTargetScaler(StandardScaler<T>? scaler, string? paramName)
    {
        if (scaler is null)
        {
            return (null, null);
        }

        if (scaler.Mean is not { } mean || scaler.StandardDeviation is not { } scale)
        {
            throw new InvalidOperationException("The target scaler must be fitted (Fit) on the training targets, or made from their statistics, before a network can use it.");
        }

        if (Loss.ExpectsLogits)
        {
            throw new ArgumentException($"{Describe()} is trained with {Loss.Name}, whose predictions are probabilities: a classifier has no target units to scale back to.", paramName);
        }

        if (mean.Count != OutputSize)
        {
            throw new ArgumentException($"{Describe()} has {OutputSize} outputs, so its target scaler needs {OutputSize} features, but the scaler was fitted on {mean.Count}.", paramName);
        }

        return ([.. mean], [.. scale]);
    }

    private ReadOnlyCollection<string> RequireClassNames()
        => _classNames ?? throw new InvalidOperationException($"{Describe()} has no class names: give them with NetworkBuilder.WithClassNames, set ClassNames, or train it on a dataset that names its classes.");

    /// <summary>The class of one row of predictions, refusing a non-finite one.</summary>
    private static int ClassDecoderOf(T[] prediction)
        => Evaluation.ClassDecoder.PredictedClasses(Matrix<T>.Build.Dense(1, prediction.Length, prediction), "sample")[0];
}
