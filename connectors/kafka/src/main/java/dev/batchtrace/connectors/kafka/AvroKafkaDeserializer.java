package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.connectors.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * kafka-clients {@link Deserializer} for Confluent wire-format values, for plain KafkaConsumers. A
 * bad value fails with a {@link SerializationException} whose cause is the {@link
 * RecordDecodingException} (the consumer wraps it in a RecordDeserializationException naming the
 * partition and offset, so the caller can seek past it). A null value (tombstone) reads as null.
 *
 * <p>Configured from consumer properties (no-arg constructor): {@code schema.registry.url} etc.,
 * plus {@value #READER_CLASS} naming a generated SpecificRecord class; without it, values are
 * GenericRecords in their writer schema.
 */
public class AvroKafkaDeserializer<T> implements Deserializer<T> {

    public static final String READER_CLASS = "avro.reader.class";

    private AvroRecordDeserializer<T> deserializer;

    public AvroKafkaDeserializer() {}

    public AvroKafkaDeserializer(AvroRecordDeserializer<T> deserializer) {
        this.deserializer = deserializer;
    }

    public static <T extends SpecificRecord> AvroKafkaDeserializer<T> forSpecific(
            SchemaRegistryClient registry, Class<T> type) {
        return new AvroKafkaDeserializer<>(AvroRecordDeserializer.forSpecific(registry, type));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (deserializer != null) {
            return;
        }
        SchemaRegistryClient registry =
                new ConfluentSchemaRegistryClient(RegistrySettings.fromMap(configs));
        Object readerClass = configs.get(READER_CLASS);
        if (readerClass == null) {
            deserializer =
                    (AvroRecordDeserializer<T>) AvroRecordDeserializer.forWriterSchema(registry);
            return;
        }
        Class<?> type;
        try {
            type =
                    readerClass instanceof Class<?> c
                            ? c
                            : Class.forName(
                                    readerClass.toString(),
                                    true,
                                    Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(
                    READER_CLASS + " names a class that is not on the classpath: " + readerClass,
                    e);
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    READER_CLASS + " must name a generated Avro SpecificRecord class: " + type);
        }
        deserializer =
                (AvroRecordDeserializer<T>)
                        AvroRecordDeserializer.forSpecific(registry, (Class) type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (deserializer == null) {
            throw new IllegalStateException(
                    "AvroKafkaDeserializer is not configured: pass a deserializer or set "
                            + RegistrySettings.URL);
        }
        try {
            return deserializer.deserialize(data);
        } catch (RecordDecodingException e) {
            throw new SerializationException(
                    "cannot decode a value from topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
