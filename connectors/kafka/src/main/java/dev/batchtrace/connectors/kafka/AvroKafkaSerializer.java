package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.connectors.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * kafka-clients {@link Serializer} for record values in the Confluent wire format, for plain
 * KafkaProducers (CLI, gateways). Either pass a registry client, or use the no-arg constructor and
 * let the producer configure it from its properties ({@code schema.registry.url}, ...).
 */
public class AvroKafkaSerializer<T extends IndexedRecord> implements Serializer<T> {

    private AvroRecordSerializer<T> serializer;

    /** For {@code value.serializer} class names: configured from the producer properties. */
    public AvroKafkaSerializer() {}

    public AvroKafkaSerializer(SchemaRegistryClient registry) {
        this.serializer = new AvroRecordSerializer<>(registry);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (isKey) {
            throw new IllegalArgumentException(
                    "AvroKafkaSerializer writes record values; keys are UTF-8 strings");
        }
        if (serializer == null) {
            serializer =
                    new AvroRecordSerializer<>(
                            new ConfluentSchemaRegistryClient(RegistrySettings.fromMap(configs)));
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (serializer == null) {
            throw new IllegalStateException(
                    "AvroKafkaSerializer is not configured: pass a registry client or set "
                            + RegistrySettings.URL);
        }
        return serializer.serialize(topic, data);
    }
}
