namespace NeuralNet.Training;

/// <summary>
/// Training produced a non-finite loss (NaN or infinity), typically from a learning rate too high for the problem.
/// Training stops, and the network is left with the finite weights it had at the start of the diverging epoch.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The underlying error.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal TrainingDivergedException(int epoch, int step, int layer, string layerName, double loss)
        : base($"Training diverged in epoch {epoch}, step {step}: the loss is {loss.ToString(System.Globalization.CultureInfo.InvariantCulture)}, and the first non-finite values appeared in layer {layer} ({layerName}). The network keeps the weights it had at the start of epoch {epoch}; a smaller learning rate usually helps.")
    {
        Epoch = epoch;
        Step = step;
        Layer = layer;
    }

    /// <summary>The epoch (from 1) in which the loss became non-finite.</summary>
    public int Epoch { get; }

    /// <summary>The update (from 1) within that epoch whose loss was non-finite.</summary>
    public int Step { get; }

    /// <summary>The index of the first layer whose output held a non-finite value, or the last layer when only the loss did.</summary>
    public int Layer { get; }
}
