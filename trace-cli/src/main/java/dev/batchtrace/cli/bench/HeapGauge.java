package dev.batchtrace.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap of this JVM, which runs the local Flink (job manager and task manager in one). Heap used
 * alone rises and falls with garbage not collected yet; what the soak judges is the heap live right
 * after a full GC, forced once every few samples (a pause of a fraction of a second, stated in
 * BENCHMARKS.md).
 */
public final class HeapGauge {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    public long used() {
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Heap used after a full, stop-the-world GC. */
    public long liveAfterFullGc() {
        memory.gc();
        return used();
    }
}
