package dev.batchtrace.jobs;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The jobs' own (non-Avro) topics, written exactly once and read read_committed: lineage feedback,
 * trace documents, machine summaries. One place for how their sinks and sources are built.
 */
public final class JobTopics {

    /**
     * Flink's default transaction timeout (1 h) exceeds the broker's default maximum (15 min) and
     * fails an exactly-once sink at start; use the broker's maximum unless configured.
     */
    static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "900000";

    private JobTopics() {}

    /** The producer's {@code max.request.size}: configured, or Kafka's default of 1 MiB. */
    public static int maxRequestBytes(KafkaSettings kafka) {
        String configured = kafka.clientProperties(false).getProperty("max.request.size");
        return configured == null ? 1024 * 1024 : Integer.parseInt(configured.strip());
    }

    /** An exactly-once sink; the serializer names the topic. */
    public static <T> KafkaSink<T> exactlyOnceSink(
            KafkaSettings kafka,
            String transactionalIdPrefix,
            KafkaRecordSerializationSchema<T> serializer) {
        Properties producer = kafka.producerProperties();
        producer.putIfAbsent("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(serializer)
                .build();
    }

    /**
     * A read_committed source (consumers of exactly-once topics must not see what aborted
     * transactions wrote); group {@code <prefix>.<topic>}, committed offsets or the earliest.
     */
    public static <T> KafkaSource<T> readCommittedSource(
            KafkaSettings kafka, String topic, KafkaRecordDeserializationSchema<T> deserializer) {
        Properties consumer = kafka.consumerProperties();
        consumer.setProperty("isolation.level", "read_committed");
        return KafkaSource.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setProperties(consumer)
                .setTopics(topic)
                .setGroupId(kafka.groupId(topic))
                .setClientIdPrefix(kafka.groupId(topic))
                .setStartingOffsets(committedOrEarliest())
                .setDeserializer(deserializer)
                .build();
    }

    @SuppressWarnings("deprecation") // OffsetResetStrategy: the connector's API still takes it
    private static OffsetsInitializer committedOrEarliest() {
        return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    }
}
