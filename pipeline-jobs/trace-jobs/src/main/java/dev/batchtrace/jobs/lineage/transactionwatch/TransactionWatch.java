package dev.batchtrace.jobs.lineage.transactionwatch;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Which transactional topics the lineage job checks for hanging transactions, and how often ({@link
 * TransactionWatchFunction}): the topics it writes exactly-once or reads read_committed.
 *
 * @param kafka the cluster of the topics
 * @param topics the topics to check
 * @param interval time between two checks; zero turns the watch off
 */
public record TransactionWatch(KafkaSettings kafka, List<String> topics, Duration interval)
        implements Serializable {

    public TransactionWatch {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(interval, "interval");
        topics = List.copyOf(topics);
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + interval);
        }
    }

    public boolean enabled() {
        return !interval.isZero() && !topics.isEmpty();
    }
}
