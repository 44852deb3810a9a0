namespace NeuralNet.Onnx.Tests.TestSupport;

/// <summary>Lets a test edit a copy inline.</summary>
internal static class ObjectExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
