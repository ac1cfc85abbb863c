package dev.batchtrace.cli.bench;

import java.util.Map;

/**
 * One look at the running soak. A figure that could not be read is -1 (a checkpoint not completed
 * yet, Elasticsearch busy); {@code heapLiveBytes} is -1 except on the samples that forced a full
 * GC.
 *
 * @param seconds since the soak's steady publishing started
 * @param published input events acknowledged by Kafka (capacity phase included)
 * @param consumed input events the jobs committed (offsets of their input sources)
 * @param lag per source (job and topic), events not committed yet, internal topics included
 * @param heapUsedBytes heap used of the JVM that runs the local Flink (this one)
 * @param heapLiveBytes heap used right after a full GC: what the JVM really keeps
 * @param stateBytes full state size of the latest completed checkpoint (Flink REST)
 * @param checkpointFolderBytes the run's checkpoint folder on disk (RocksDB files, retained two)
 * @param checkpointMillis end-to-end duration of the latest completed checkpoint
 * @param indexBytes store size of the trace-* indices
 * @param indexDocs Lucene documents of the trace-* indices (nested ones included)
 * @param checkpointedBytes what the latest completed checkpoint wrote (the whole state unless
 *     checkpoints are incremental)
 * @param loadAverage the machine's 1-minute load average: on a shared machine a checkpoint or a lag
 *     that grows with it is the machine's, not the job's
 */
public record SoakSample(
        double seconds,
        long published,
        long consumed,
        Map<String, Long> lag,
        long heapUsedBytes,
        long heapLiveBytes,
        long stateBytes,
        long checkpointFolderBytes,
        long checkpointMillis,
        long indexBytes,
        long indexDocs,
        long checkpointedBytes,
        double loadAverage) {

    public SoakSample {
        lag = Map.copyOf(lag);
    }

    /** Lag over every source, or -1 when none could be read. */
    public long totalLag() {
        return lag.isEmpty() ? -1 : lag.values().stream().mapToLong(Long::longValue).sum();
    }
}
