using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Activations;
using NeuralNet.Losses;
using NeuralNet.Persistence;

namespace NeuralNet.Tests.Persistence;

/// <summary>A save that fails at any byte, or at the final flush, leaves the previous file whole and loadable, and no temporary file behind.</summary>
public sealed class InterruptedSaveTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("neuralnet-save-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_save_interrupted_at_every_write_position_keeps_the_previous_file()
    {
        string path = Path.Combine(_directory, "model.nnet");
        Network<double> previous = Network.Sequential<double>(3).Dense(2, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 1);
        previous.Save(path);
        byte[] before = File.ReadAllBytes(path);
        Network<double> replacement = Network.Sequential<double>(3).Dense(2, Activation.Tanh).Dense(2).Build(Loss.SoftmaxCrossEntropy, seed: 2);
        byte[] content = ModelFile.Encode(replacement, ModelFile.ModelKind, null);
        Matrix<double> probe = Matrix<double>.Build.Dense(2, 3, (i, j) => i - j);

        // Fail after 0, 1, … all but the last byte, and at the flush once everything was written.
        for (int failAt = 0; failAt <= content.Length; failAt++)
        {
            int limit = failAt;
            Action save = () => AtomicFile.Write(path, content, temporary => new FailingStream(new FileStream(temporary, FileMode.CreateNew), limit));

            save.Should().Throw<IOException>().WithMessage("*simulated*");
            File.ReadAllBytes(path).Should().Equal(before, "the save failing after {0} bytes must leave the old file", failAt);
            Directory.GetFiles(_directory).Should().ContainSingle("no temporary file may stay behind");
        }

        Network.Load<double>(path).Predict(probe).Should().Be(previous.Predict(probe));
        replacement.Save(path);
        Network.Load<double>(path).Predict(probe).Should().Be(replacement.Predict(probe), "an uninterrupted save replaces the file");
    }

    /// <summary>Passes writes through until <c>limit</c> bytes, then fails; once <c>limit</c> bytes are written, the flush fails.</summary>
    private sealed class FailingStream(Stream inner, int limit) : Stream
    {
        private int _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written;

        public override long Position
        {
            get => _written;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int allowed = Math.Min(buffer.Length, limit - _written);
            if (allowed > 0)
            {
                inner.Write(buffer[..allowed]);
                _written += allowed;
            }

            if (allowed < buffer.Length)
            {
                throw new IOException($"simulated failure after {_written} bytes");
            }
        }

        public override void Flush()
        {
            inner.Flush();
            if (_written >= limit)
            {
                throw new IOException("simulated failure at the flush");
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
