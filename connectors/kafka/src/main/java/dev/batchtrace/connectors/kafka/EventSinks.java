package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.connectors.registry.SchemaRegistryClientFactory;
import dev.batchtrace.events.DeadLetter;
import java.util.Properties;
import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.util.function.SerializableFunction;

/** Kafka sinks for event topics: Avro values via the registry, UTF-8 keys. */
public final class EventSinks {

    public static final String DEAD_LETTER_TOPIC = "trace.dead-letters";

    /**
     * Flink's default transaction timeout (1 h) exceeds the broker default maximum (15 min) and
     * makes EXACTLY_ONCE fail at start; use the broker's maximum unless configured.
     */
    static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "900000";

    private EventSinks() {}

    /**
     * A sink writing {@code type} records to {@code topic}. For EXACTLY_ONCE the transactional id
     * prefix is {@code <groupIdPrefix>.<topic>} (unique per job and topic) and consumers must read
     * with {@code isolation.level=read_committed}.
     */
    public static <T extends IndexedRecord> KafkaSink<T> forTopic(
            KafkaSettings kafka,
            RegistrySettings registry,
            String topic,
            Class<T> type,
            SerializableFunction<T, String> keyExtractor,
            DeliveryGuarantee guarantee) {
        return forTopic(kafka, registry.clientFactory(), topic, type, keyExtractor, guarantee);
    }

    public static <T extends IndexedRecord> KafkaSink<T> forTopic(
            KafkaSettings kafka,
            SchemaRegistryClientFactory registry,
            String topic,
            Class<T> type,
            SerializableFunction<T, String> keyExtractor,
            DeliveryGuarantee guarantee) {
        Properties producer = kafka.producerProperties();
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            producer.putIfAbsent("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
        }
        return KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(kafka.groupId(topic))
                .setRecordSerializer(
                        new AvroRecordSerializationSchema<>(registry, topic, keyExtractor))
                .build();
    }

    /**
     * Dead letters to {@value #DEAD_LETTER_TOPIC}, keyed {@code
     * <sourceTopic>/<partition>/<offset>}.
     */
    public static KafkaSink<DeadLetter> deadLetters(
            KafkaSettings kafka, RegistrySettings registry, DeliveryGuarantee guarantee) {
        return deadLetters(kafka, registry.clientFactory(), DEAD_LETTER_TOPIC, guarantee);
    }

    public static KafkaSink<DeadLetter> deadLetters(
            KafkaSettings kafka,
            SchemaRegistryClientFactory registry,
            String topic,
            DeliveryGuarantee guarantee) {
        return forTopic(
                kafka, registry, topic, DeadLetter.class, EventSinks::deadLetterKey, guarantee);
    }

    /** The key of a dead letter: where it came from, so replays land on the same partition. */
    public static String deadLetterKey(DeadLetter letter) {
        return letter.getSourceTopic() + "/" + letter.getPartition() + "/" + letter.getOffset();
    }
}
