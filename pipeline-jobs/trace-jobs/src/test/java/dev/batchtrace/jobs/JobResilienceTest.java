package dev.batchtrace.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend.PriorityQueueStateType;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class JobResilienceTest {

    @Test
    void withoutClusterSettingsTheJobGetsTimeoutToleranceAndBackedOffRestarts() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);

        JobResilience.apply(env);

        assertEquals(
                Duration.ofMinutes(5).toMillis(), env.getCheckpointConfig().getCheckpointTimeout());
        assertEquals(3, env.getCheckpointConfig().getTolerableCheckpointFailureNumber());
        assertEquals(
                true, env.getConfiguration().get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS));
        assertEquals(
                PriorityQueueStateType.HEAP,
                env.getConfiguration().get(RocksDBOptions.TIMER_SERVICE_FACTORY));
        assertEquals(true, env.getConfiguration().get(RocksDBConfigurableOptions.USE_BLOOM_FILTER));
        assertEquals(
                "exponential-delay",
                env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY));
        assertEquals(
                Duration.ofMinutes(1),
                env.getConfiguration()
                        .get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF));
    }

    @Test
    void whatTheClusterConfiguresWins() {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMinutes(2));
        cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        cluster.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, false);
        cluster.set(RocksDBOptions.TIMER_SERVICE_FACTORY, PriorityQueueStateType.ROCKSDB);
        cluster.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, false);

        Configuration defaults = JobResilience.defaults(cluster);

        assertFalse(defaults.getOptional(CheckpointingOptions.CHECKPOINTING_TIMEOUT).isPresent());
        assertFalse(defaults.getOptional(RestartStrategyOptions.RESTART_STRATEGY).isPresent());
        assertFalse(defaults.getOptional(CheckpointingOptions.INCREMENTAL_CHECKPOINTS).isPresent());
        assertFalse(defaults.getOptional(RocksDBOptions.TIMER_SERVICE_FACTORY).isPresent());
        assertFalse(defaults.getOptional(RocksDBConfigurableOptions.USE_BLOOM_FILTER).isPresent());
        assertEquals(3, defaults.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER));

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(cluster);
        JobResilience.apply(env);
        assertEquals(
                Duration.ofMinutes(2).toMillis(), env.getCheckpointConfig().getCheckpointTimeout());
    }
}
