package dev.batchtrace.jobs.lineage;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Client settings shared by the job's own (non-Avro) topics: feedback and documents. */
final class KafkaTopics {

    /**
     * Flink's default transaction timeout (1 h) exceeds the broker's default maximum (15 min) and
     * fails an exactly-once sink at start; use the broker's maximum unless configured.
     */
    static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "900000";

    private KafkaTopics() {}

    static Properties exactlyOnceProducer(KafkaSettings kafka) {
        Properties producer = kafka.clientProperties(false);
        producer.putIfAbsent("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
        return producer;
    }

    /** Consumers of exactly-once topics must not see what aborted transactions wrote. */
    static Properties readCommittedConsumer(KafkaSettings kafka) {
        Properties consumer = kafka.clientProperties(false);
        consumer.setProperty("isolation.level", "read_committed");
        return consumer;
    }

    @SuppressWarnings("deprecation") // OffsetResetStrategy: the connector's API still takes it
    static OffsetsInitializer committedOrEarliest() {
        return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    }
}
