using System.Runtime.CompilerServices;

namespace CrampSense.Signals;

/// <summary>
/// How the per-row and per-window methods of a replay are compiled: optimised at their first call, not first by the
/// quick JIT and then again once they are hot.
/// </summary>
/// <remarks>
/// Why: a replay is one loop over millions of rows, so these methods become hot within its first second, but tiered
/// compilation runs them as quick-JIT code (no inlining, no register allocation across the loop) until the background
/// compiler has rejitted each one; a perf sampling of a 1 h × 1 site replay (docs/signal-pipeline.md §6.1, 2026-12-04)
/// found 16 % of the process's CPU in quick-JIT code of these methods and 16 % in the JIT. Switching tiered
/// compilation or quick JIT off for the whole CLI does the same for these methods but compiles all of its start-up
/// code optimised too (a 1-s replay 0.22 → 0.32–0.51 s CPU); marking only the hot methods does not. The JIT keeps
/// floating-point results the same at every optimisation level (it neither fuses multiply-adds nor reassociates), so
/// the outputs are too (compared byte for byte, §6.1). Small helpers need no mark: optimised callers inline them.
/// </remarks>
public static class HotPath
{
    /// <summary>The <see cref="MethodImplAttribute"/> options of a hot-path method.</summary>
    public const MethodImplOptions Compiled = MethodImplOptions.AggressiveOptimization;
}
