package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes SpecificRecords or GenericRecords in the Confluent wire format, registering the writer
 * schema under {@code <topic>-value} once per (topic, schema). Thread-safe.
 *
 * @throws dev.batchtrace.connectors.registry.SchemaRegistryException from {@link #serialize} when
 *     the schema cannot be registered (registry down, incompatible, unauthorized)
 */
public final class AvroRecordSerializer<T extends IndexedRecord> {

    private record WriterKey(Class<?> type, Schema schema) {}

    private record SubjectSchema(String subject, Schema schema) {}

    private final SchemaRegistryClient registry;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    public AvroRecordSerializer(SchemaRegistryClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The wire-format bytes of {@code record} for {@code topic}. */
    public byte[] serialize(String topic, T record) {
        Objects.requireNonNull(record, "record");
        Schema schema = record.getSchema();
        int id =
                ids.computeIfAbsent(
                        new SubjectSchema(SchemaRegistryClient.valueSubject(topic), schema),
                        key -> registry.register(key.subject(), key.schema()));
        DatumWriter<Object> writer =
                writers.computeIfAbsent(new WriterKey(record.getClass(), schema), this::writerFor);
        return AvroWireFormat.encode(id, writer, record);
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<Object> writerFor(WriterKey key) {
        if (SpecificRecord.class.isAssignableFrom(key.type())) {
            // The generated class's model carries its logical-type conversions (Instant, ...).
            SpecificData model = SpecificData.getForClass(key.type());
            return (DatumWriter<Object>)
                    (DatumWriter<?>) new SpecificDatumWriter<>(key.schema(), model);
        }
        return new GenericDatumWriter<>(key.schema(), GenericData.get());
    }
}
