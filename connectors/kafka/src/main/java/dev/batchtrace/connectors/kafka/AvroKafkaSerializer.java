package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.connectors.registry.SchemaRegistryClient;
import dev.batchtrace.connectors.registry.SchemaRegistryException;
import java.util.Map;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * kafka-clients {@link Serializer} for record values in the Confluent wire format, for plain
 * KafkaProducers (CLI, gateways). Either pass a registry client, or use the no-arg constructor and
 * let the producer configure it from its properties ({@code schema.registry.url}, ...).
 *
 * <p>A registry failure (down, incompatible schema, unauthorized) is a {@link
 * SerializationException} whose cause is the {@link SchemaRegistryException}: KafkaProducer.send
 * passes it to the caller as is, and callers handle one exception type per record.
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
        try {
            return serializer.serialize(topic, data);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "cannot serialize a "
                            + data.getSchema().getFullName()
                            + " for topic "
                            + topic
                            + ": registering its schema under subject '"
                            + SchemaRegistryClient.valueSubject(topic)
                            + "' failed ("
                            + e.kind()
                            + "): "
                            + e.getMessage(),
                    e);
        }
    }
}
