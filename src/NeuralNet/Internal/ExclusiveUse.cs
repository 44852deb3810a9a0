namespace NeuralNet.Internal;

/// <summary>
/// One writer at a time for an object that many threads may read: while a training holds it, reads from any other
/// logical flow are refused, and reads from the training's own flow (its progress callbacks) are allowed.
/// </summary>
internal sealed class ExclusiveUse(Func<string> describeOwner)
{
    /// <summary>The instances held by the current logical flow, innermost first (a callback may train another network).</summary>
    private static readonly AsyncLocal<Held?> HeldHere = new();

    private int _held;

    /// <summary>Takes the object for the current flow; throws when any flow already holds it.</summary>
    public Scope Enter()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            throw new InvalidOperationException($"{describeOwner()} is already being trained; one Fit at a time per network.");
        }

        Held? outer = HeldHere.Value;
        HeldHere.Value = new Held(this, outer);
        return new Scope(this, outer);
    }

    /// <summary>
    /// Rejects a call from outside the flow that holds the object: it would see, or disturb, state mid-update. The
    /// owner's description is built only then, so the check costs nothing on a hot path.
    /// </summary>
    public void ThrowIfHeldElsewhere()
    {
        if (Volatile.Read(ref _held) != 0 && !IsHeldHere())
        {
            throw new InvalidOperationException($"{describeOwner()} is being trained on another thread; predict or change it after Fit returns (a progress callback may evaluate it between epochs).");
        }
    }

    private bool IsHeldHere()
    {
        for (Held? held = HeldHere.Value; held is not null; held = held.Outer)
        {
            if (ReferenceEquals(held.Use, this))
            {
                return true;
            }
        }

        return false;
    }

    internal sealed record Held(ExclusiveUse Use, Held? Outer);

    /// <summary>Releases the object when disposed.</summary>
    internal readonly struct Scope(ExclusiveUse use, Held? outer) : IDisposable
    {
        public void Dispose()
        {
            HeldHere.Value = outer;
            Volatile.Write(ref use._held, 0);
        }
    }
}
