using System.Runtime.ExceptionServices;

namespace NeuralNet.Backends;

/// <summary>
/// Splits a product's output columns into chunks run in parallel on a small pool of dedicated threads. The
/// partition depends only on the shapes and the thread count, and each element of C is computed whole within one
/// chunk, so results never depend on which thread ran what. Nothing is allocated per call: the pool's threads and
/// each calling thread's job are created once.
/// </summary>
internal static class ColumnSplit
{
    /// <summary>Below this many multiply-adds a product runs on one thread: waking threads would cost more.</summary>
    private const long Threshold = 1 << 23;

    private static readonly object Gate = new();
    private static Worker[] _workers = [];
    private static IColumnJob? _job;
    private static int _chunks;
    private static int _width;
    private static int _columns;
    private static int _nextChunk;
    private static int _running;
    private static readonly ManualResetEventSlim Finished = new(false);

    /// <summary>How long a worker spins for its next job, and the caller for the last chunk, before either sleeps.</summary>
    private static readonly TimeSpan SpinTime = TimeSpan.FromMicroseconds(200);
    private static ExceptionDispatchInfo? _failure;

    /// <summary>A product whose columns [first, first + count) can be computed independently.</summary>
    internal interface IColumnJob
    {
        /// <summary>Computes columns [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of C.</summary>
        void Run(int first, int count);

        /// <summary>
        /// Called on the calling thread as soon as the workers are released, before it takes chunks of its own. The
        /// kernels' jobs do nothing here; tests hold the caller here to let the workers run, or fail, first.
        /// </summary>
        void WorkersReleased()
        {
        }
    }

    /// <summary>How many chunks to use: 1 for small products, otherwise up to one per thread, each at least 4 columns wide.</summary>
    public static int Chunks(int threads, int m, int n, int k)
        => threads > 1 && (long)m * n * k >= Threshold && n >= 8 ? Math.Min(threads, n / 4) : 1;

    /// <summary>Runs <paramref name="job"/> over <paramref name="n"/> columns in <paramref name="chunks"/> chunks.</summary>
    /// <remarks>
    /// An exception from any chunk is rethrown here, and only once every worker has left the job. When a chunk of the
    /// calling thread's and a worker's both fail, the calling thread's exception is the one thrown.
    /// </remarks>
    public static void Run(IColumnJob job, int chunks, int n) => Run(job, chunks, n, 4, chunks);

    /// <summary>
    /// Runs <paramref name="job"/> over <paramref name="n"/> columns (or any other units the job splits, such as rows)
    /// in <paramref name="chunks"/> chunks whose widths, but the last, are multiples of <paramref name="granularity"/>,
    /// on at most <paramref name="threads"/> threads (the caller's among them), each taking the next chunk left.
    /// </summary>
    /// <remarks>
    /// The same as <see cref="Run(IColumnJob, int, int)"/> otherwise, which uses a granularity of 4 and one thread per
    /// chunk. More chunks than threads keep every thread busy to the end when one of them is held up (by another
    /// process on a shared machine, say): the others take its chunks. Which thread runs a chunk never matters.
    /// </remarks>
    public static void Run(IColumnJob job, int chunks, int n, int granularity, int threads)
    {
        int helpers = Math.Max(0, Math.Min(threads, chunks) - 1);
        // Chunk widths are multiples of the granularity so every chunk but the last starts on a kernel block boundary.
        int width = (((n + chunks - 1) / chunks) + granularity - 1) / granularity * granularity;
        if (helpers == 0 || !Monitor.TryEnter(Gate))
        {
            // One thread, or another thread is using the pool: compute the same chunks here, in the same partition.
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                RunChunk(job, chunk, width, n);
            }

            return;
        }

        try
        {
            EnsureWorkers(helpers);

            // Everything the workers share, the failure slot included, is set before the first of them is released:
            // a worker may run, and fail, before this thread reaches its next statement.
            _job = job;
            _chunks = chunks;
            _width = width;
            _columns = n;
            _nextChunk = 0;
            _running = helpers;
            _failure = null;
            Finished.Reset();
            for (int w = 0; w < helpers; w++)
            {
                _workers[w].Start.Release();
            }

            ExceptionDispatchInfo? callerFailure = null;
            try
            {
                job.WorkersReleased();
                TakeChunks();
            }
            catch (Exception e)
            {
                // Not rethrown yet: the workers are still running this job, and leaving now would release the pool
                // to the next caller, who would overwrite the shared fields under them.
                callerFailure = ExceptionDispatchInfo.Capture(e);
            }

            WaitBriefly(static () => Finished.IsSet);
            Finished.Wait();
            ExceptionDispatchInfo? failure = callerFailure ?? _failure;
            _job = null;
            _failure = null;
            failure?.Throw();
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    /// <summary>
    /// Spins for up to <see cref="SpinTime"/> until <paramref name="done"/> says so: waking a thread that went to sleep
    /// costs tens of microseconds on a virtual machine, as much as a whole product of a batch of 32, so a worker stays
    /// awake between the products of a training step and the caller waits for the last chunk without sleeping.
    /// </summary>
    private static bool WaitBriefly(Func<bool> done)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        while (!done())
        {
            if (System.Diagnostics.Stopwatch.GetElapsedTime(start) > SpinTime)
            {
                return false;
            }

            // Spins a little, then yields the core between checks: on a machine with more runnable threads than
            // cores, the thread this one waits for may need it.
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return true;
    }

    private static void TakeChunks()
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _nextChunk) - 1) < _chunks)
        {
            RunChunk(_job!, chunk, _width, _columns);
        }
    }

    private static void RunChunk(IColumnJob job, int chunk, int width, int n)
    {
        int first = chunk * width;
        int count = Math.Min(n, first + width) - first;
        if (count > 0)
        {
            job.Run(first, count);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (_workers.Length >= count)
        {
            return;
        }

        Worker[] workers = new Worker[count];
        _workers.CopyTo(workers, 0);
        for (int w = _workers.Length; w < count; w++)
        {
            workers[w] = new Worker();
        }

        _workers = workers;
    }

    /// <summary>A background thread that takes chunks whenever it is released.</summary>
    private sealed class Worker
    {
        /// <summary>Takes the next release without blocking; one delegate for the worker's life, so waiting allocates nothing.</summary>
        private readonly Func<bool> _started;

        public Worker()
        {
            _started = () => Start.Wait(0);
            var thread = new Thread(Loop) { IsBackground = true, Name = "NeuralNet matrix worker" };
            thread.Start();
        }

        public SemaphoreSlim Start { get; } = new(0);

        private void Loop()
        {
            while (true)
            {
                if (!WaitBriefly(_started))
                {
                    Start.Wait();
                }

                try
                {
                    TakeChunks();
                }
                catch (Exception e)
                {
                    // A worker must never die of an exception: hand it to the caller, which rethrows it.
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                }

                if (Interlocked.Decrement(ref _running) == 0)
                {
                    Finished.Set();
                }
            }
        }
    }
}
