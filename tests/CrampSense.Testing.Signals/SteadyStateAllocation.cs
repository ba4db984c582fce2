namespace CrampSense.Testing.Signals;

/// <summary>
/// Bytes a steady-state stretch allocates on this thread, measured so that only the code's own allocations count:
/// <list type="bullet">
/// <item>on a second, identical run: a method's first call is compiled on the calling thread and a type's static
/// constructor runs there too, and either can allocate; whether another test class got there first depends on the
/// order the runner picks. The first run reaches every method and static constructor the second one's stretch reaches.</item>
/// <item>on a stretch no garbage collection interrupted: other test classes allocate in parallel, and the counts seen
/// in loaded full runs of code that allocates nothing (2 928, 4 120, 7 976 B, one of them after an identical first run)
/// were each below one 8-KB allocation quantum, which points at a collection retiring this thread's allocation context
/// mid-stretch (suspected, not proven). Such a stretch is measured again on a fresh run; code that allocates itself
/// still fails, on every attempt.</item>
/// <item>as the least of up to 10 fresh runs: a loaded CI run once counted 6 920 B on a stretch no collection had
/// interrupted (MuscleActivityDetectorTests, 2026-12-04), so the runtime itself (tiering, a type load) can allocate on
/// the test's thread now and then. Each run builds a fresh object and feeds it the same input, so the code's own
/// allocations are the same in every run and the least of them is what the code allocates; the runtime's occasional
/// ones are not in every run.</item>
/// </list>
/// </summary>
public static class SteadyStateAllocation
{
    private const int Attempts = 10;

    /// <summary>
    /// Calls <paramref name="arrange"/> once unmeasured and then until a measured stretch ran without a collection and
    /// allocated nothing (at most 10 times): each call builds a fresh object, warms it up and returns the stretch to
    /// measure. Returns 0 once such a stretch is seen, else the least any stretch without a collection allocated (the
    /// least of all when every one saw a collection).
    /// </summary>
    public static long BytesOfSecondRun(Func<Action> arrange)
    {
        ArgumentNullException.ThrowIfNull(arrange);
        arrange()();
        long leastClean = long.MaxValue, least = long.MaxValue;
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            var measured = arrange();
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            measured();
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            least = Math.Min(least, bytes);
            if (GC.CollectionCount(0) == collections)
            {
                if (bytes == 0)
                {
                    return 0;
                }

                leastClean = Math.Min(leastClean, bytes);
            }
        }

        return leastClean != long.MaxValue ? leastClean : least;
    }
}
