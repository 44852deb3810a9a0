using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>SynchronousProgress calls its handler at once, on the reporting thread.</summary>
public class SynchronousProgressTests
{
    [Fact]
    public void Reports_reach_the_handler_immediately_on_the_same_thread()
    {
        var seen = new List<(int Value, int Thread)>();
        var progress = new SynchronousProgress<int>(value => seen.Add((value, Environment.CurrentManagedThreadId)));

        progress.Report(1);
        progress.Report(2);

        seen.Should().Equal((1, Environment.CurrentManagedThreadId), (2, Environment.CurrentManagedThreadId));
    }

    [Fact]
    public void A_null_handler_is_rejected()
    {
        Action act = () => _ = new SynchronousProgress<int>(null!);

        act.Should().ThrowExactly<ArgumentNullException>().WithParameterName("handler");
    }
}
