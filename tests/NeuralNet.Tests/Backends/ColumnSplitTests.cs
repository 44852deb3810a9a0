using NeuralNet.Backends;

namespace NeuralNet.Tests.Backends;

/// <summary>
/// The worker pool behind split products: every chunk runs once, and an exception thrown by any chunk reaches the
/// caller instead of a partial product.
/// </summary>
/// <remarks>
/// The pool is process-wide, so these tests run in the collection that no other test runs beside: a product started
/// elsewhere would hold the pool and leave these jobs to the calling thread alone. Each run uses two chunks, so there
/// is one worker whatever the number of cores (the pool starts a dedicated thread per extra chunk). Every wait is
/// bounded; one that runs out fails the test with a message saying what never happened.
/// </remarks>
[Collection(BackendSettings.Name)]
public class ColumnSplitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Every_column_is_computed_exactly_once()
    {
        var job = new CountingJob(101);

        ColumnSplit.Run(job, 4, 101);

        job.Visits.Should().AllSatisfy(visits => visits.Should().Be(1));
    }

    [Fact]
    public void A_worker_failure_reaches_the_caller_even_when_the_worker_fails_at_once()
    {
        // The caller is held just after it releases the workers until the worker has failed and handed its exception
        // over: a failure slot cleared after that point would lose it and return a partial product as a success.
        using var job = new WorkerFailsBeforeTheCallerGoesOn(Thread.CurrentThread);

        Action run = () => ColumnSplit.Run(job, 2, 8);

        run.Should().Throw<InvalidOperationException>("the worker's exception must not be lost").Which.Should().BeSameAs(job.Thrown);
        ColumnSplit.Run(new CountingJob(8), 2, 8);
    }

    /// <summary>Counts how often each column is computed.</summary>
    private sealed class CountingJob(int columns) : ColumnSplit.IColumnJob
    {
        public int[] Visits { get; } = new int[columns];

        public void Run(int first, int count)
        {
            for (int j = first; j < first + count; j++)
            {
                Interlocked.Increment(ref Visits[j]);
            }
        }
    }

    /// <summary>
    /// The worker's chunk throws; the caller, once it has released the worker, waits until the worker has thrown and
    /// gone back to waiting for work, by which time the worker has handed its exception to the pool.
    /// </summary>
    private sealed class WorkerFailsBeforeTheCallerGoesOn(Thread caller) : ColumnSplit.IColumnJob, IDisposable
    {
        private readonly ManualResetEventSlim _workerThrew = new(false);
        private Thread? _worker;

        public Exception Thrown { get; } = new InvalidOperationException("A worker's chunk failed.");

        public void WorkersReleased()
        {
            if (!_workerThrew.Wait(Patience))
            {
                throw new TimeoutException("No worker ran a chunk after it was released.");
            }

            // Not asserted: if the worker never shows as waiting, the caller just goes on later than it could.
            SpinWait.SpinUntil(() => (_worker!.ThreadState & ThreadState.WaitSleepJoin) != 0, Patience);
        }

        public void Run(int first, int count)
        {
            if (Thread.CurrentThread == caller)
            {
                return;
            }

            _worker = Thread.CurrentThread;
            _workerThrew.Set();
            throw Thrown;
        }

        public void Dispose() => _workerThrew.Dispose();
    }
}
