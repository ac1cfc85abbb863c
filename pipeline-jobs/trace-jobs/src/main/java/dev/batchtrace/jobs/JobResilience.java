package dev.batchtrace.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend.PriorityQueueStateType;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How both jobs ride out failures, unless the cluster's configuration says otherwise: Flink's
 * defaults fail the job on the first failed checkpoint and let a checkpoint hang for 10 minutes.
 *
 * <ul>
 *   <li>checkpoint timeout 5 min: below the 15 min transaction timeout of the exactly-once topics
 *       (a checkpoint that cannot finish in time must not outlive its transactions);
 *   <li>3 failed checkpoints in a row are tolerated (an Elasticsearch or broker hiccup must not
 *       restart the job; the exactly-once sinks commit with the next good checkpoint);
 *   <li>restarts with exponential delay (1 s doubling to 1 min, reset after 10 min without failure,
 *       10 % jitter), without a limit: a job that fails again and again (a broker down) backs off
 *       instead of spinning, and comes back on its own once the cause is gone. Bad records and
 *       refused documents never fail a task (dead letters), so a restart is always about
 *       infrastructure;
 *   <li>incremental RocksDB checkpoints: a checkpoint uploads the files written since the last one,
 *       not the whole state (the soak benchmark saw every 1 s checkpoint copy all of it, its
 *       duration growing with the plant's history);
 *   <li>timers on the heap, not in RocksDB: the work-order stage registers a timer per changed work
 *       order (the node stage only before its first barrier); with RocksDB timers, inserting and
 *       polling them (an iterator seek per refill) was 13 % of the node stage's CPU in a bulk
 *       replay (issue 9). A task holds at most the keys changed in the last few seconds, a small
 *       heap (heap timers are written into every checkpoint synchronously, so they must stay few).
 *   <li>bloom filters on RocksDB's tables (Flink's default has none): the node stage reads single
 *       entries (a slot, a parent's contribution, the header) far more than it scans, and many of
 *       them are absent (a lot new to the closure); without a filter each such read searched every
 *       level's index and data blocks, which made {@code RocksDB.get} half of the node stage's CPU
 *       in a bulk replay (issue 9, BENCHMARKS.md 2026-12-07 late evening).
 * </ul>
 */
public final class JobResilience {

    static final Duration CHECKPOINT_TIMEOUT = Duration.ofMinutes(5);
    static final int TOLERABLE_CHECKPOINT_FAILURES = 3;

    private JobResilience() {}

    /** The settings above, each only where {@code configured} (the cluster's) has none. */
    public static void apply(StreamExecutionEnvironment env) {
        env.configure(defaults(env.getConfiguration()));
    }

    /** What {@link #apply} sets: the defaults minus what {@code configured} already has. */
    public static Configuration defaults(ReadableConfig configured) {
        Map<ConfigOption<?>, Object> wanted = new TreeMap<>((a, b) -> a.key().compareTo(b.key()));
        wanted.put(CheckpointingOptions.CHECKPOINTING_TIMEOUT, CHECKPOINT_TIMEOUT);
        wanted.put(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, TOLERABLE_CHECKPOINT_FAILURES);
        wanted.put(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        wanted.put(RocksDBOptions.TIMER_SERVICE_FACTORY, PriorityQueueStateType.HEAP);
        wanted.put(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        Configuration out = new Configuration();
        wanted.forEach((option, value) -> setIfAbsent(configured, out, option, value));
        if (configured.getOptional(RestartStrategyOptions.RESTART_STRATEGY).isEmpty()) {
            out.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            out.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                    Duration.ofSeconds(1));
            out.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                    Duration.ofMinutes(1));
            out.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
                    2.0);
            out.set(
                    RestartStrategyOptions
                            .RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                    Duration.ofMinutes(10));
            out.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> void setIfAbsent(
            ReadableConfig configured, Configuration out, ConfigOption<?> option, Object value) {
        ConfigOption<T> typed = (ConfigOption<T>) option;
        if (configured.getOptional(typed).isEmpty()) {
            out.set(typed, (T) value);
        }
    }
}
