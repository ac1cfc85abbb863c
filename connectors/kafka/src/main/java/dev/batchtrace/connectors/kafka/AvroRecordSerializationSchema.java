package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.registry.SchemaRegistryClientFactory;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records to one topic: value in the Confluent wire format (schema registered under {@code
 * <topic>-value}), key as UTF-8 from the key extractor (a null key is allowed). The registry client
 * is created in {@link #open} (or on first use), never serialized.
 */
public final class AvroRecordSerializationSchema<T extends IndexedRecord>
        implements KafkaRecordSerializationSchema<T> {

    private final SchemaRegistryClientFactory registry;
    private final String topic;
    private final SerializableFunction<T, String> keyExtractor;
    private transient AvroRecordSerializer<T> serializer;

    public AvroRecordSerializationSchema(
            SchemaRegistryClientFactory registry,
            String topic,
            SerializableFunction<T, String> keyExtractor) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.keyExtractor = Objects.requireNonNull(keyExtractor, "keyExtractor");
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serializer();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        String key = keyExtractor.apply(element);
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                serializer().serialize(topic, element));
    }

    private AvroRecordSerializer<T> serializer() {
        if (serializer == null) {
            serializer = new AvroRecordSerializer<>(registry.create());
        }
        return serializer;
    }
}
