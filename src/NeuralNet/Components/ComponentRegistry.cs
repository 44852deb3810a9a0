using NeuralNet.Activations;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.UpdateRules;

namespace NeuralNet.Components;

/// <summary>
/// The one place every layer, activation, loss, update rule and initialiser is known by name. Model files and
/// checkpoints store a component as its name and configuration and rebuild it here; ONNX export and import and the
/// health checks read the same names and configurations. Register your own components here to save, load and check
/// networks that use them (Keras' <c>custom_objects</c>, without reflection: nothing named in a file is ever looked
/// up as a .NET type).
/// </summary>
/// <example>
/// <code>
/// ComponentRegistry.Activations.Register("swish", config => new Swish());
/// ComponentRegistry.Layers.Register("scale", config => new Scale&lt;float&gt;(config), config => new Scale&lt;double&gt;(config));
/// </code>
/// </example>
public static class ComponentRegistry
{
    static ComponentRegistry()
    {
        Activations.Register("identity", _ => Activation.Identity);
        Activations.Register("sigmoid", _ => Activation.Sigmoid);
        Activations.Register("tanh", _ => Activation.Tanh);
        Activations.Register("relu", _ => Activation.Relu);
        Activations.Register("leaky_relu", config => new LeakyRelu(config.GetDouble("slope")));
        Activations.Register("softmax", _ => Activation.Softmax);
        Activations.Register("elu", config => new Elu(config.GetDouble("alpha")));
        Activations.Register("selu", _ => Activation.Selu);
        Activations.Register("gelu", _ => Activation.Gelu);
        Activations.Register("gelu_tanh", _ => Activation.GeluTanh);
        Activations.Register("silu", _ => Activation.Silu);
        Activations.Register("softplus", _ => Activation.Softplus);

        Initializers.Register("zeros", _ => Initializer.Zeros);
        Initializers.Register("glorot_uniform", _ => Initializer.GlorotUniform);
        Initializers.Register("glorot_normal", _ => Initializer.GlorotNormal);
        Initializers.Register("he_uniform", _ => Initializer.HeUniform);
        Initializers.Register("he_normal", _ => Initializer.HeNormal);
        Initializers.Register("lecun_normal", _ => Initializer.LecunNormal);
        Initializers.Register("random_normal", config => new RandomNormal(config.GetDouble("standard_deviation")));

        Losses.Register("mean_squared_error", _ => Loss.MeanSquaredError);
        Losses.Register("softmax_cross_entropy", config => config.Contains("class_weights") ? new SoftmaxCrossEntropy(config.GetDoubles("class_weights")) : Loss.SoftmaxCrossEntropy);
        Losses.Register("sigmoid_binary_cross_entropy", _ => Loss.SigmoidBinaryCrossEntropy);
        Losses.Register("huber", config => new Huber(config.GetDouble("delta")));
        Losses.Register("mean_absolute_error", _ => Loss.MeanAbsoluteError);

        UpdateRules.Register("plain", _ => new Plain());
        UpdateRules.Register("momentum", config => new Momentum(config.GetDouble("coefficient")));
        UpdateRules.Register("nesterov", config => new Nesterov(config.GetDouble("coefficient")));
        UpdateRules.Register("rmsprop", config => new RmsProp(config.GetDouble("decay"), config.GetDouble("epsilon")));
        UpdateRules.Register("adam", config => new Adam(config.GetDouble("beta1"), config.GetDouble("beta2"), config.GetDouble("epsilon")));
        UpdateRules.Register("adamw", config => new AdamW(config.GetDouble("beta1"), config.GetDouble("beta2"), config.GetDouble("epsilon"), config.GetDouble("weight_decay")));

        Layers.Register("dense", Dense<float>.FromConfig, Dense<double>.FromConfig);
        Layers.Register("normalization", Normalization<float>.FromConfig, Normalization<double>.FromConfig);
        Layers.Register("dropout", Dropout<float>.FromConfig, Dropout<double>.FromConfig);
        Layers.Register("activation", ActivationLayer<float>.FromConfig, ActivationLayer<double>.FromConfig);
        Layers.Register("layer_normalization", LayerNormalization<float>.FromConfig, LayerNormalization<double>.FromConfig);
        Layers.Register("batch_normalization", BatchNormalization<float>.FromConfig, BatchNormalization<double>.FromConfig);
        Layers.Register("conv2d", Conv2D<float>.FromConfig, Conv2D<double>.FromConfig);
        Layers.Register("max_pool2d", MaxPool2D<float>.FromConfig, MaxPool2D<double>.FromConfig);
        Layers.Register("average_pool2d", AveragePool2D<float>.FromConfig, AveragePool2D<double>.FromConfig);
        Layers.Register("global_average_pool", GlobalAveragePool<float>.FromConfig, GlobalAveragePool<double>.FromConfig);
        Layers.Register("flatten", Flatten<float>.FromConfig, Flatten<double>.FromConfig);
    }

    /// <summary>The activations: identity, sigmoid, tanh, relu, leaky_relu, softmax, elu, selu, gelu, gelu_tanh, silu, softplus, and any registered since.</summary>
    public static ComponentTable<Activation> Activations { get; } = new("activation", activation => activation.Name);

    /// <summary>The initialisers: zeros, glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_normal, random_normal, and any registered since.</summary>
    public static ComponentTable<Initializer> Initializers { get; } = new("initialiser", initializer => initializer.Name);

    /// <summary>The losses: mean_squared_error, softmax_cross_entropy, sigmoid_binary_cross_entropy, huber, mean_absolute_error, and any registered since.</summary>
    public static ComponentTable<Loss> Losses { get; } = new("loss", loss => loss.Name);

    /// <summary>The update rules: plain, momentum, nesterov, rmsprop, adam, adamw, and any registered since.</summary>
    public static ComponentTable<UpdateRule> UpdateRules { get; } = new("update rule", rule => rule.Name);

    /// <summary>The layer types: dense, normalization, dropout, activation, layer_normalization, batch_normalization, conv2d, max_pool2d, average_pool2d, global_average_pool, flatten, and any registered since.</summary>
    public static LayerTable Layers { get; } = new();
}
