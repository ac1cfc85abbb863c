package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.connectors.registry.SchemaRegistryClientFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Kafka sources for event topics: Avro values via the registry, bad records as dead letters. */
public final class EventSources {

    private EventSources() {}

    /**
     * An unbounded source of {@code topic} read as {@code type}. Group id {@code
     * <groupIdPrefix>.<topic>}; starts from the committed offsets, or the earliest when the group
     * has none. Bad records arrive as {@link Decoded#deadLetter()}; split them off with {@link
     * DeadLetterSplit}.
     */
    public static <T extends SpecificRecord> KafkaSource<Decoded<T>> forTopic(
            KafkaSettings kafka, RegistrySettings registry, String topic, Class<T> type) {
        return builder(kafka, registry.clientFactory(), topic, type).build();
    }

    /**
     * The preconfigured builder, for callers that need more (bounded reading in tests, other
     * starting offsets, an in-memory registry).
     */
    @SuppressWarnings("deprecation") // OffsetResetStrategy: the connector's API still takes it
    public static <T extends SpecificRecord> KafkaSourceBuilder<Decoded<T>> builder(
            KafkaSettings kafka,
            SchemaRegistryClientFactory registry,
            String topic,
            Class<T> type) {
        return KafkaSource.<Decoded<T>>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setProperties(kafka.consumerProperties())
                .setTopics(topic)
                .setGroupId(kafka.groupId(topic))
                .setClientIdPrefix(kafka.groupId(topic))
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new DecodingDeserializationSchema<>(registry, type));
    }
}
