package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.registry.SchemaRegistryClientFactory;
import dev.batchtrace.events.DeadLetter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes Confluent wire-format values into {@link Decoded} records. A bad record (empty, wrong
 * magic byte, unknown schema id, corrupt payload, incompatible schema) never fails the job: it
 * becomes a {@link DeadLetter} with the original key and value bytes, partition, offset and reason.
 *
 * <p>A registry that is down or refuses our credentials is not the record's fault: that throws an
 * IOException, so the job fails and restarts from its last checkpoint instead of dead-lettering
 * every good record until the registry is back.
 *
 * <p>Loading this class applies {@link AvroLimits}, so a corrupt length varint becomes a
 * CORRUPT_PAYLOAD dead letter instead of an OutOfMemoryError.
 *
 * <p>The registry client is created in {@link #open} (or on first use) from a serializable factory;
 * it is never serialized with the job.
 */
public final class DecodingDeserializationSchema<T extends SpecificRecord>
        implements KafkaRecordDeserializationSchema<Decoded<T>> {

    private static final Logger LOG = LoggerFactory.getLogger(DecodingDeserializationSchema.class);

    static {
        // Before Avro decodes anything in this JVM: a corrupt length must not exhaust the heap.
        AvroLimits.apply();
    }

    private final SchemaRegistryClientFactory registry;
    private final Class<T> type;
    private final Clock clock;
    private transient AvroRecordDeserializer<T> deserializer;

    public DecodingDeserializationSchema(SchemaRegistryClientFactory registry, Class<T> type) {
        this(registry, type, Clock.systemUTC());
    }

    /**
     * With a clock for {@link DeadLetter#getFailedAt()} (tests). The clock must be serializable.
     */
    public DecodingDeserializationSchema(
            SchemaRegistryClientFactory registry, Class<T> type, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.type = Objects.requireNonNull(type, "type");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        deserializer();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<T>> out)
            throws IOException {
        T value;
        try {
            value = deserializer().deserialize(record.value());
        } catch (RecordDecodingException e) {
            if (!e.reason().isRecordFault()) {
                throw new IOException(
                        "cannot decode "
                                + record.topic()
                                + "/"
                                + record.partition()
                                + "@"
                                + record.offset()
                                + " because of the registry, not the record (failing so the job"
                                + " retries from its last checkpoint): "
                                + e.getMessage(),
                        e);
            }
            LOG.debug(
                    "dead letter {}/{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            out.collect(Decoded.failed(deadLetter(record, e.getMessage()), record.timestamp()));
            return;
        }
        out.collect(
                Decoded.of(
                        value,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp()));
    }

    private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, String error) {
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setError(error)
                .setFailedAt(clock.instant())
                .build();
    }

    private AvroRecordDeserializer<T> deserializer() {
        if (deserializer == null) {
            deserializer = AvroRecordDeserializer.forSpecific(registry.create(), type);
        }
        return deserializer;
    }

    @Override
    public TypeInformation<Decoded<T>> getProducedType() {
        return Decoded.typeInfo(TypeInformation.of(type));
    }
}
