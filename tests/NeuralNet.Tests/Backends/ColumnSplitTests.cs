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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void With_more_chunks_than_threads_every_row_is_still_computed_exactly_once(int threads)
    {
        var job = new CountingJob(784);

        ColumnSplit.Run(job, 8, 784, 16, threads);

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

    [Fact]
    public void A_caller_failure_waits_for_the_workers_before_it_is_reported()
    {
        using var job = new CallerFailsWhileTheWorkerRuns(workerThrows: false);
        var caller = new CallerThread(job);
        job.CallerThrew.Wait(Patience).Should().BeTrue("the caller's chunk should have thrown once the worker was inside the job");

        // The worker stays inside the job until the gate opens, so Run must still be waiting for it now.
        caller.WaitUntilWaitingOrReturned();
        bool returnedEarly = caller.Returned;
        job.OpenGate();
        caller.Join();

        returnedEarly.Should().BeFalse("Run must not return (and release the pool) while a worker is still running the job");
        caller.WorkerWasDoneWhenRunReturned.Should().BeTrue();
        caller.Failure.Should().BeSameAs(job.CallerException);
        var next = new CountingJob(8);
        ColumnSplit.Run(next, 2, 8);
        next.Visits.Should().AllSatisfy(visits => visits.Should().Be(1), "the pool is whole again after a failed run");
    }

    [Fact]
    public void When_the_caller_and_a_worker_both_fail_the_callers_exception_is_reported_once_the_worker_is_done()
    {
        using var job = new CallerFailsWhileTheWorkerRuns(workerThrows: true);
        var caller = new CallerThread(job);
        job.CallerThrew.Wait(Patience).Should().BeTrue("the caller's chunk should have thrown once the worker was inside the job");
        job.OpenGate();
        caller.Join();

        caller.Failure.Should().BeSameAs(job.CallerException);
        caller.WorkerWasDoneWhenRunReturned.Should().BeTrue("Run must not return while a worker is still running the job");
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

    /// <summary>
    /// The worker's chunk waits inside the job for a gate the test opens; the caller's chunk throws as soon as the
    /// worker is inside. With <c>workerThrows</c> the worker's chunk throws too, once the gate opens.
    /// </summary>
    private sealed class CallerFailsWhileTheWorkerRuns(bool workerThrows) : ColumnSplit.IColumnJob, IDisposable
    {
        private readonly ManualResetEventSlim _workerInside = new(false);
        private readonly ManualResetEventSlim _gate = new(false);
        private int _workersInside;

        public Thread? Caller { get; set; }

        public ManualResetEventSlim CallerThrew { get; } = new(false);

        public Exception CallerException { get; } = new InvalidOperationException("The caller's chunk failed.");

        public bool WorkerInside => Volatile.Read(ref _workersInside) > 0;

        public void Run(int first, int count)
        {
            if (Thread.CurrentThread == Caller)
            {
                if (!_workerInside.Wait(Patience))
                {
                    throw new TimeoutException("No worker entered the job: the pool did not take part in the run.");
                }

                CallerThrew.Set();
                throw CallerException;
            }

            Interlocked.Increment(ref _workersInside);
            try
            {
                _workerInside.Set();
                if (!_gate.Wait(Patience))
                {
                    throw new TimeoutException("The test never opened the gate.");
                }

                if (workerThrows)
                {
                    throw new InvalidOperationException("A worker's chunk failed too.");
                }
            }
            finally
            {
                Interlocked.Decrement(ref _workersInside);
            }
        }

        public void OpenGate() => _gate.Set();

        public void Dispose()
        {
            _workerInside.Dispose();
            _gate.Dispose();
            CallerThrew.Dispose();
        }
    }

    /// <summary>Runs a job in two chunks from a thread of its own, so the test can watch the caller from outside.</summary>
    private sealed class CallerThread
    {
        private readonly Thread _thread;
        private volatile bool _returned;

        public CallerThread(CallerFailsWhileTheWorkerRuns job)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    ColumnSplit.Run(job, 2, 8);
                }
                catch (Exception e)
                {
                    Failure = e;
                }

                WorkerWasDoneWhenRunReturned = !job.WorkerInside;
                _returned = true;
            })
            { IsBackground = true, Name = "ColumnSplit test caller" };
            job.Caller = _thread;
            _thread.Start();
        }

        public bool Returned => _returned;

        public Exception? Failure { get; private set; }

        public bool WorkerWasDoneWhenRunReturned { get; private set; }

        /// <summary>
        /// Waits until Run has returned or the thread is blocked waiting for the workers. Not asserted: if the thread
        /// never shows as waiting, the test goes on when patience runs out, later but with the same outcome.
        /// </summary>
        public void WaitUntilWaitingOrReturned()
            => SpinWait.SpinUntil(() => _returned || (_thread.ThreadState & ThreadState.WaitSleepJoin) != 0, Patience);

        public void Join() => _thread.Join(Patience).Should().BeTrue("Run should return once the worker has left the job");
    }
}
